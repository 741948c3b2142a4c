"""Our own XSS corpus (tests/fixtures/xss/vectors.txt) fed through every importer that takes HTML-ish
input and into every stored text field, then every page type, feed and the HTML and EPUB downloads
rendered in Chromium: no vector may run script, fetch the trap URL or leave a live handler, a
script URL or an embedding element in the page; the one embedding element admitted is an
`<iframe>` framing an admitted player's https address, sandboxed exactly as the sanitiser sets it.

The browser context bypasses the Content-Security-Policy on purpose: the policy is a second wall,
and this test proves the first one (the sanitiser and the templates' escaping) holds on its own."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from fanarchive.archive.exports.copy import export_work
from fanarchive.archive.imports.run import run_import
from fanarchive.archive.models import Chapter, Series, Tag, User
from fanarchive.archive.templatetags.archive_tags import tag_url
from fanarchive.domain.embeds import frame_sources
from fanarchive.domain.exports import ExportContext
from fanarchive.domain.exports.epub import write_epub
from fanarchive.domain.exports.html import write_html
from fanarchive.domain.sanitize import FORCED_ATTRIBUTES, sanitize_html
from fanarchive.domain.work import ParsedChapter, ParsedWork, SeriesRef, empty_tags, works_to_json

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VECTOR_FILE = FIXTURES / "xss" / "vectors.txt"
TRAP_HOST = "xss-trap.invalid"
BATCH = 25
FORMAT_SLICE = 50
FANDOM = "XSS Corpus Fandom"
PLACEHOLDER = "XSSVECTORSHERE"

# What an admitted player looks like (domain/embeds.py, domain/sanitize.py).
PLAYERS = {"frames": frame_sources(), "sandbox": FORCED_ATTRIBUTES["iframe"]["sandbox"]}

# Before any page script: the one function every vector calls when it runs.
RECORDER = "window.__hits = []; window.__xss = (n) => { window.__hits.push(n); };"

# What must never be in a rendered page, whether or not it has run yet (handlers wait for a click,
# links for a visit): handlers, script-bearing URLs, embedding elements, foreign scripts, refreshes.
INSPECT = r"""({frames, sandbox}) => {
  const urlAttributes = ["href", "src", "cite", "poster", "action", "formaction", "background",
    "longdesc", "lowsrc", "dynsrc", "data", "codebase", "xlink:href", "ping", "srcset", "usemap"];
  const embedding = ["iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"];
  const found = [];
  // Feeds that Chromium shows as text come wrapped in its own <pre style>; only markup is ours.
  const markup = document.contentType.includes("html");
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName.toLowerCase();
    const player = tag === "iframe" && element.getAttribute("sandbox") === sandbox && !element.hasAttribute("srcdoc")
      && frames.some((source) => (element.getAttribute("src") || "").startsWith(source + (source.endsWith("/") ? "" : "/")));
    if (embedding.includes(tag) && !player) found.push("<" + tag + " " + (element.getAttribute("src") || "") + ">");
    if (tag === "script") {
      const src = element.getAttribute("src") || "";
      if (!(src.startsWith("/static/") || src.startsWith(location.origin + "/static/"))) {
        found.push("<script " + src + ">");
      }
    }
    if (tag === "meta" && (element.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
      found.push("<meta refresh>");
    }
    if (tag === "style" && document.body && document.body.contains(element)) found.push("<style> in body");
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push("<" + tag + " " + name + ">");
      if (name === "srcdoc" || (name === "style" && markup)) found.push("<" + tag + " " + name + ">");
      if (urlAttributes.includes(name)) {
        const value = attribute.value.replace(/[\t\n\r]/g, "").replace(/^[\x00-\x20]+/, "");
        const scheme = value.match(/^([a-zA-Z][a-zA-Z0-9+.\-]*):/);
        if (scheme && !/^(https?|mailto)$/i.test(scheme[1])) found.push("<" + tag + " " + name + "=" + value + ">");
      }
    }
  }
  return found;
}"""


def load_vectors() -> list[str]:
    lines = VECTOR_FILE.read_text(encoding="utf-8").splitlines()
    return [line.replace("\\n", "\n") for line in lines if line.strip() and not line.startswith("#")]


def armed(number: int, vector: str) -> str:
    """The vector with its hit call and trap URL filled in, numbered so a hit names its vector."""
    return vector.replace("HIT", f"__xss({number})").replace("TRAP", f"http://{TRAP_HOST}/{number}")


def _batches(vectors: list[str]) -> list[list[str]]:
    numbered = [armed(n, v) for n, v in enumerate(vectors)]
    return [numbered[i : i + BATCH] for i in range(0, len(numbered), BATCH)]


def _pack(parts: list[str], limit: int) -> str:
    return " ".join(parts)[:limit]


def field_work(number: int, batch: list[str]) -> ParsedWork:
    """A work with the batch in every stored text field: each HTML field holds all of it, each tag
    name one vector, and the plain short fields (title, chapter titles, series title, an author
    name) share it out round robin, as much as their columns hold."""
    block = "\n".join(batch)
    short: list[list[str]] = [[] for _ in range(6)]
    for index, vector in enumerate(batch):
        short[index % 6].append(vector)
    tags = empty_tags()
    tags.update(fandom=[FANDOM], freeform=[vector[:150] for vector in batch], character=[short[0][0][:150]])
    chapters = [
        ParsedChapter(
            number=position,
            title=_pack(short[position], 255),
            summary=block,
            notes=block,
            html=f"<p>xss chapter {position}</p>{block}",
            end_notes=block,
        )
        for position in (1, 2, 3)
    ]
    return ParsedWork(
        title=f"xss fields {number} " + _pack(short[0], 230),
        authors=[f"xssauthor{number}", _pack(short[4], 150)],
        summary=f"<p>xssneedle summary</p>{block}",
        notes=block,
        end_notes=block,
        tags=tags,
        status="complete",
        chapters=chapters,
        chapters_expected=3,
        series=[SeriesRef(title=_pack(short[5], 255) or "xss series", position=1)],
    )


def _tidy_with_placeholder(title: str) -> ParsedWork:
    tags = empty_tags()
    tags.update(fandom=[FANDOM])
    return ParsedWork(
        title=title,
        authors=["xssformats"],
        summary=f"<p>{PLACEHOLDER}</p>",
        tags=tags,
        status="complete",
        chapters=[ParsedChapter(number=1, title="One", html=f"<p>xss body</p><p>{PLACEHOLDER}</p>")],
        chapters_expected=1,
    )


def _epub_with(block: str, tag: str) -> bytes:
    out = io.BytesIO()
    write_epub(
        _tidy_with_placeholder(f"xss epub {tag}"),
        ExportContext(work_url=f"https://example.org/works/{tag}02"),
        out,
    )
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as book:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".xhtml"):
                data = data.replace(f"<p>{PLACEHOLDER}</p>".encode(), block.encode())
            book.writestr(info, data)
    return rebuilt.getvalue()


def format_files(folder: Path, block: str, tag: str) -> dict[str, Path]:
    """One file per reader of HTML-ish input, the whole corpus where the format keeps its text.
    Each file's text ends with a line of its own: a file with no source id whose text another's
    equals is that work again (Work.text_hash), and each format must make its own work here."""
    files: dict[str, Path] = {}
    corpus = block

    def own(name: str) -> str:
        return f"{corpus}\n\n<p>Read as {name}, slice {tag}.</p>"

    def put(name: str, data: bytes | str) -> None:
        path = folder / f"{tag}-{name}"  # readers that title a work by its file name tell slices apart
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        files[name] = path

    put("xss-work.json", works_to_json([field_work(1000 + int(tag), own("json").split("\n\n"))]))
    ao3 = io.BytesIO()
    write_html(
        _tidy_with_placeholder(f"xss ao3 html {tag}"),
        ExportContext(work_url=f"https://example.org/works/{tag}01"),
        ao3,
    )
    put("xss-ao3.html", ao3.getvalue().replace(f"<p>{PLACEHOLDER}</p>".encode(), own("ao3").encode()))
    put(
        "xss-generic.html",
        f"<html><head><title>xss generic {tag}</title></head><body><h1>xss generic {tag}</h1>{own('html')}</body></html>",
    )
    put("xss-markdown.md", f"# xss markdown {tag}\n\n" + own("markdown"))
    fff = (FIXTURES / "fanficfare" / "ao3-table.html").read_text(encoding="utf-8")
    # A work is found again by its title and its source's address: both differ for each slice.
    fff = fff.replace("The Cartographer's Apprentice", f"The Cartographer's Apprentice {tag}")
    fff = fff.replace("works/4815162", f"works/{4815162 + int(tag)}")
    fff = fff.replace("<p>Odette wants one of them.</p>", block).replace(
        "<p>Maren redrew the bay <strong>three</strong> times before dawn.</p>", own("fanficfare")
    )
    put("xss-fanficfare.html", fff)
    efiction = (FIXTURES / "efiction" / "printable.html").read_text(encoding="utf-8")
    efiction = efiction.replace("The Harbourmaster's Ledger", f"The Harbourmaster's Ledger {tag}")
    efiction = efiction.replace("sid=12", f"sid={12 + int(tag)}")
    efiction = efiction.replace(
        "<p>The ledger had a green cover and a smell of tar.</p>", own("efiction")
    ).replace("Odile finds a ledger that balances <em>too</em> well", block)
    put("xss-efiction.html", efiction)
    put("xss-book.epub", _epub_with(own("epub"), tag))
    return files


FORMATS = {
    "xss-work.json": "work-json",
    "xss-ao3.html": "ao3-html",
    "xss-generic.html": "html",
    "xss-markdown.md": "markdown",
    "xss-fanficfare.html": "fanficfare-html",
    "xss-efiction.html": "efiction-html",
    "xss-book.epub": None,
}


@dataclass
class Watch:
    hits: list[str] = field(default_factory=list)
    visited: int = 0


@pytest.fixture
def xss_page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    watch = Watch()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if TRAP_HOST in url:
            watch.hits.append(f"trap request {url}")
        if url.startswith(("http://localhost", "http://127.0.0.1", "file:", "data:")):
            request_route.continue_()
        else:  # nothing leaves the machine; remote images simply fail
            request_route.abort()

    context.route("**/*", route)
    context.add_init_script(RECORDER)
    page = context.new_page()
    page.on("dialog", lambda dialog: (watch.hits.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.on("popup", lambda popup: watch.hits.append(f"popup {popup.url}"))
    yield page, watch
    context.close()


def _visit(page: Any, watch: Watch, url: str) -> None:
    response = page.goto(url)
    assert response is None or response.status < 400, (url, response.status)
    page.wait_for_timeout(150)  # onload/onerror/animation handlers and meta refreshes get their chance
    hits = page.evaluate("window.__hits || []")
    watch.hits += [f"{url}: vector {n} ran" for n in hits]
    watch.hits += [f"{url}: {found}" for found in page.evaluate(INSPECT, PLAYERS)]
    if unquote(page.url).split("?")[0] != unquote(url).split("?")[0]:
        watch.hits.append(f"{url}: navigated to {page.url}")
    watch.visited += 1


def test_no_vector_runs_on_any_page_feed_or_download(live_server: Any, xss_page: Any, tmp_path: Path) -> None:
    page, watch = xss_page
    vectors = load_vectors()
    assert len(vectors) >= 150
    from fanarchive.archive.actions.imports import do_import_work

    field_works = [do_import_work(field_work(n, batch)).work_id for n, batch in enumerate(_batches(vectors))]
    # A vector such as <plaintext> or </div> can break a whole document's structure, and a reader
    # may then refuse the file (cleanly, with its reason): so each format gets the corpus in slices,
    # and at least half the slices of every format must come through.
    imported: dict[str, int] = {}
    refused: list[str] = []
    for start in range(0, len(vectors), FORMAT_SLICE):
        folder = tmp_path / f"slice-{start}"
        folder.mkdir()
        block = "\n\n".join(armed(n, v) for n, v in enumerate(vectors) if start <= n < start + FORMAT_SLICE)
        for path in format_files(folder, block, str(start)).values():
            name = path.name.split("-", 1)[1]
            report = run_import([str(path)], format_name=FORMATS[name])
            if report.failed:
                refused.append(f"{name} slice {start}: {report.failures[0][1]}")
                continue
            [outcome] = report.outcomes
            imported[f"{name} slice {start}"] = outcome.works[0]["work_id"]
    slices = -(-len(vectors) // FORMAT_SLICE)
    for name in FORMATS:
        assert sum(key.startswith(name) for key in imported) >= slices // 2, (name, refused)
    assert len(set(imported.values())) == len(imported), imported
    # A series summary is no import's to set; stored as the sanitiser stores every HTML field.
    Series.objects.update(summary=sanitize_html("\n".join(armed(n, v) for n, v in enumerate(vectors))))

    base = live_server.url
    urls = ["/", "/works", "/works?q=xssneedle", "/fandoms", f"/tags/{FANDOM}/works", f"/tags/{FANDOM}"]
    urls += [
        f"/tags/{FANDOM}/feed.atom",
        "/opds/recent",
        f"/opds/fandoms/{FANDOM}",
        "/opds/search?q=xssneedle",
    ]
    for work_id in field_works:
        urls += [f"/works/{work_id}?view_full_work=true", f"/works/{work_id}/feed.atom"]
        first = Chapter.objects.filter(work_id=work_id).order_by("position").first()
        assert first is not None
        urls.append(f"/works/{work_id}/chapters/{first.position}")
    urls += [f"/works/{work_id}?view_full_work=true" for work_id in imported.values()]
    for number in range(len(field_works)):
        user = User.objects.get(username=f"xssauthor{number}")
        urls += [f"/users/{user.username}", f"/users/{user.username}/works", f"/opds/authors/{user.username}"]
    urls += [f"/series/{series.pk}" for series in Series.objects.all()]
    # Tags named by vectors, their names in the URL as the site's own links write them.
    urls += [tag_url(tag.name) for tag in Tag.objects.filter(kind="character").order_by("pk")]
    for url in urls:
        _visit(page, watch, base + url)

    downloads = 0
    for work_id in [*field_works, *imported.values()]:
        html = tmp_path / f"work-{work_id}.html"
        with html.open("wb") as out:
            export_work(work_id, "html", out)
        _visit(page, watch, html.as_uri())
        epub = io.BytesIO()
        export_work(work_id, "epub", epub)
        folder = tmp_path / f"epub-{work_id}"
        zipfile.ZipFile(epub).extractall(folder)
        for part in sorted(folder.glob("OEBPS/*.xhtml")):
            _visit(page, watch, part.as_uri())
        downloads += 2

    print(
        f"{len(vectors)} vectors, {watch.visited} pages and files, {len(imported)} files imported, refused: {refused}"
    )
    assert watch.hits == [], "\n".join(watch.hits[:50])
    assert watch.visited >= len(urls) + downloads


def test_the_harness_sees_vectors_that_do_run(xss_page: Any, tmp_path: Path) -> None:
    """Unsanitised, the same vectors run, fetch the trap and leave handlers: the checks above can fail."""
    page, watch = xss_page
    vectors = load_vectors()
    chosen = [0, 9, vectors.index('<link rel="stylesheet" href="TRAP">'), vectors.index("<svg onload=HIT>")]
    raw = tmp_path / "raw.html"
    # A frame from a host not admitted, and an admitted player without its sandbox, are found too.
    frames = [
        f'<iframe src="https://{TRAP_HOST}/embed/x"></iframe>',
        '<iframe src="https://www.youtube.com/embed/unsandboxed"></iframe>',
        f'<iframe src="https://www.youtube.com/embed/x" sandbox="{PLAYERS["sandbox"]}" srcdoc="x"></iframe>',
    ]
    raw.write_text(
        "<!DOCTYPE html><html><body>"
        + "".join(armed(n, vectors[n]) for n in chosen)
        + "".join(frames)
        + "</body></html>"
    )
    _visit(page, watch, raw.as_uri())
    text = "\n".join(watch.hits)
    for number in (0, 9, chosen[3]):
        assert f"vector {number} ran" in text, text
    assert f"trap request http://{TRAP_HOST}/{chosen[2]}" in text, text
    assert "<img onerror>" in text and "<script " in text, text
    assert f"<iframe https://{TRAP_HOST}/embed/x>" in text, text
    assert "<iframe https://www.youtube.com/embed/unsandboxed>" in text, text
    assert "<iframe srcdoc>" in text and "<iframe https://www.youtube.com/embed/x>" in text, text
