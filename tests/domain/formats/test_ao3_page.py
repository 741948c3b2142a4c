"""AO3 work pages saved from a browser (tests/fixtures/ao3-page, invented prose on the site's markup):
every field of the full view, a one-shot, chapter pages that merge into the whole work, "HTML only"
saves, and the pages that hold no work."""

from __future__ import annotations

import base64
import quopri
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fanarchive.domain.formats.ao3_page import AO3PageParser
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect, parse_source
from fanarchive.domain.merge import is_partial, merge_partial_works
from fanarchive.domain.text import count_words
from fanarchive.domain.work import IndexEntry, ParsedWork, RelatedWork, SeriesRef, Source

PARSER = AO3PageParser()
WORK_ID = "40516273"
CHAPTER_PAGES = ("chapter-1.html", "chapter-2-html-only.html", "chapter-3.html")


def _source(fixtures_dir: Path, name: str) -> SourceFile:
    path = fixtures_dir / "ao3-page" / name
    return SourceFile(name=str(path), data=path.read_bytes())


def _parse(fixtures_dir: Path, name: str) -> ParsedWork:
    source = _source(fixtures_dir, name)
    assert detect(source).name == "ao3-page"
    [work] = parse_source(source)
    return work


def _source_words(fixtures_dir: Path, name: str) -> list[int]:
    """Words of each chapter's text as the page holds it: the markup after the "Chapter Text" (or
    "Work Text:") landmark up to the end of its div, counted without the reader."""
    page = (fixtures_dir / "ao3-page" / name).read_text()
    texts = re.findall(r'<h3 class="landmark heading" id="work">[^<]*</h3>(.*?)</div>', page, re.S)
    return [count_words(text) for text in texts]


def test_full_work_view_reads_every_field(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict[str, Any]]
) -> None:
    work = _parse(fixtures_dir, "full-work.html")
    assert_valid_works([work])
    assert work.title == "Lanterns Over Harrow Bay"
    assert work.authors == ["Moth (inkwell_moth)", "perrin_shale"]
    assert work.metadata["author_accounts"] == [
        {"name": "Moth (inkwell_moth)", "user": "inkwell_moth", "pseud": "Moth"},
        {"name": "perrin_shale", "user": "perrin_shale", "pseud": "perrin_shale"},
    ]
    assert work.tags == {
        "rating": ["Teen And Up Audiences"],
        "warning": ["No Archive Warnings Apply"],
        "category": ["F/M", "Gen"],
        "fandom": ["Harrow Bay (TV)"],
        "relationship": ["Ilse Varga/Tobiah Crane"],
        "character": ["Ilse Varga", "Tobiah Crane", "The Harbourmaster"],
        "freeform": ["Lighthouses", "Storms", "Hurt/Comfort"],
    }
    assert work.language == "English"
    assert (work.published, work.updated, work.status, work.chapters_expected) == (
        "2024-03-02",
        "2024-04-20",
        "complete",
        3,
    )
    assert work.stats == {
        "words": 179,
        "chapters": 3,
        "comments": 12,
        "kudos": 340,
        "bookmarks": 41,
        "hits": 5120,
    }
    assert work.series == [
        SeriesRef("Harrow Bay Logs", position=2, url="https://archiveofourown.org/series/77123")
    ]
    assert work.metadata["collections"] == ["Coastal Fest 2024"]
    assert work.metadata["gifted_to"] == ["tidepool"]
    assert work.summary is not None and "light that must not go out" in work.summary
    assert work.notes is not None and "paraffin" in work.notes and "See the end" not in work.notes
    assert work.end_notes is not None and "harbour wall" in work.end_notes
    assert work.related == [
        RelatedWork(
            "inspired_by",
            "Salt Roads",
            url="https://archiveofourown.org/works/555",
            authors=["brine_and_ink"],
        ),
        RelatedWork(
            "inspired",
            "Harbour Lights (the remix)",
            url="https://archiveofourown.org/works/40999999",
            authors=["gullwing"],
        ),
    ]
    assert work.source == Source(
        format="ao3-page",
        site="archiveofourown.org",
        url=f"https://archiveofourown.org/works/{WORK_ID}",
        id=WORK_ID,
    )
    assert work.metadata["saved_from"].endswith("?view_full_work=true")
    assert work.doubts == [] and work.index == []


def test_full_work_chapters_keep_their_notes_apart_from_the_text(fixtures_dir: Path) -> None:
    work = _parse(fixtures_dir, "full-work.html")
    one, two, three = work.chapters
    assert [(c.number, c.title) for c in work.chapters] == [(1, "The Lamp Room"), (2, None), (3, "Low Tide")]
    assert one.summary == "<p>The first night of the gale.</p>"
    assert one.notes is not None and "knees" in one.notes and "See the end" not in one.notes
    assert one.end_notes == "<p>Next: the supply boat, if it can land.</p>"
    assert (two.summary, two.notes, two.end_notes) == (None, None, None)
    assert (three.summary, three.notes) == ("<p>Morning, finally.</p>", None)
    assert three.end_notes == "<p>The lemons were my sister's idea.</p>"
    assert "<em>lemons</em>" in two.html and "<blockquote>" in two.html
    for chapter in work.chapters:
        # Nothing of the page's furniture reaches the text.
        for words in (
            "Chapter Text",
            "Skip",
            "Kudos",
            "Actions",
            "Notes:",
            "Organization for Transformative",
        ):
            assert words not in chapter.html
    assert [c.words for c in work.chapters] == _source_words(fixtures_dir, "full-work.html") == [71, 54, 54]
    assert work.words == work.stats["words"]


def test_one_shot(fixtures_dir: Path, assert_valid_works: Callable[..., dict[str, Any]]) -> None:
    work = _parse(fixtures_dir, "one-shot.html")
    assert_valid_works([work])
    assert (work.title, work.authors) == ("Salt on the Sill", ["perrin_shale"])
    assert work.tags["rating"] == ["General Audiences"] and work.tags["relationship"] == []
    assert work.tags["freeform"] == ["Vignette", "Winter"]
    assert (work.status, work.chapters_expected, work.published) == ("complete", 1, "2023-11-05")
    assert work.stats == {"words": 81, "chapters": 1, "kudos": 12, "hits": 230}
    [chapter] = work.chapters
    assert (chapter.number, chapter.title) == (1, None)
    assert "Work Text" not in chapter.html and "<strong>old pearls</strong>" in chapter.html
    assert [chapter.words] == _source_words(fixtures_dir, "one-shot.html") == [81]
    assert (work.source.site, work.source.id) == ("archiveofourown.org", "40516001")
    assert not is_partial(work)


@pytest.mark.parametrize(
    ("name", "number", "title"),
    [
        ("chapter-1.html", 1, "The Lamp Room"),
        ("chapter-2-html-only.html", 2, None),
        ("chapter-3.html", 3, "Low Tide"),
    ],
)
def test_a_chapter_page_is_one_part_of_the_work(
    fixtures_dir: Path, name: str, number: int, title: str | None
) -> None:
    work = _parse(fixtures_dir, name)
    assert is_partial(work)
    assert [(c.number, c.title) for c in work.chapters] == [(number, title)]
    assert work.index == [
        IndexEntry(1, "The Lamp Room"),
        IndexEntry(2, "Chapter 2"),
        IndexEntry(3, "Low Tide"),
    ]
    # The same identity whatever the page: with absolute links and a saved-from comment, or an
    # "HTML only" save whose links stayed relative.
    assert work.source == Source(
        format="ao3-page",
        site="archiveofourown.org",
        url=f"https://archiveofourown.org/works/{WORK_ID}",
        id=WORK_ID,
    )
    assert work.tags["fandom"] == ["Harrow Bay (TV)"] and work.stats["kudos"] == 340
    assert [c.words for c in work.chapters] == _source_words(fixtures_dir, name)
    assert work.doubts == []


def test_chapter_pages_are_the_same_chapters_as_the_full_view(fixtures_dir: Path) -> None:
    full = _parse(fixtures_dir, "full-work.html")
    for name, chapter in zip(CHAPTER_PAGES, full.chapters, strict=True):
        assert _parse(fixtures_dir, name).chapters == [chapter]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1), (1, 2, 0)])
def test_chapter_pages_merge_into_the_whole_work(fixtures_dir: Path, order: tuple[int, int, int]) -> None:
    full = _parse(fixtures_dir, "full-work.html")
    parts = [_parse(fixtures_dir, CHAPTER_PAGES[i]) for i in order]
    [merged] = merge_partial_works(parts)
    assert not is_partial(merged)
    assert merged.chapters == full.chapters
    # The work's summary and notes are on the first chapter's page only, its end notes and the
    # works inspired by it on the last: the merged work has all of them.
    assert (merged.summary, merged.notes, merged.end_notes) == (full.summary, full.notes, full.end_notes)
    assert sorted(r.relation for r in merged.related) == ["inspired", "inspired_by"]


def test_the_download_of_the_work_has_the_same_identity(fixtures_dir: Path) -> None:
    page = _parse(fixtures_dir, "full-work.html")
    download_source = _source(fixtures_dir, "download.html")
    assert detect(download_source).name == "ao3-html"
    [download] = parse_source(download_source)
    assert (download.source.site, download.source.id) == (page.source.site, page.source.id)
    assert [(c.number, c.title, c.words) for c in download.chapters] == [
        (c.number, c.title, c.words) for c in page.chapters
    ]
    assert download.authors == page.authors


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("adult-warning.html", "'adult content' warning page"),
        ("registered-only.html", "only available to registered users"),
    ],
)
def test_pages_without_the_work_are_refused_saying_why(fixtures_dir: Path, name: str, reason: str) -> None:
    source = _source(fixtures_dir, name)
    assert detect(source).name == "ao3-page"
    with pytest.raises(ParseError, match=reason):
        parse_source(source)


def _single_file(page: bytes, location: str) -> bytes:
    """The page as Chrome's "Webpage, Single File" writes it: a MIME multipart/related message,
    the page quoted-printable first, then its stylesheet and an image."""
    boundary = "----MultipartBoundary--q3nYh1kLx0----"
    head = (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {location}\r\n"
        "Subject: =?utf-8?Q?Lanterns_Over_Harrow_Bay_[Archive_of_Our_Own]?=\r\n"
        "Date: Sat, 5 Dec 2026 12:00:00 -0000\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n\r\n'
    )
    html = quopri.encodestring(page.replace(b"\n", b"\r\n")).decode("ascii")
    parts = [
        (
            "text/html",
            f"Content-ID: <frame-7F3A@mhtml.blink>\r\nContent-Location: {location}",
            "quoted-printable",
            html,
        ),
        (
            "text/css",
            "Content-Location: https://archiveofourown.org/stylesheets/site/2.0/01-core.css",
            "quoted-printable",
            "#workskin { margin: 0 auto; }",
        ),
        (
            "image/png",
            "Content-Location: https://archiveofourown.org/images/ao3_logos.png",
            "base64",
            base64.b64encode(b"\x89PNG\r\n\x1a\n").decode(),
        ),
    ]
    body = "".join(
        f"--{boundary}\r\nContent-Type: {kind}\r\n{extra}\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n{payload}\r\n"
        for kind, extra, encoding, payload in parts
    )
    return (head + body + f"--{boundary}--\r\n").encode("ascii")


def test_a_page_saved_as_a_single_file_mhtml(fixtures_dir: Path) -> None:
    page = (fixtures_dir / "ao3-page" / "chapter-2-html-only.html").read_bytes()
    location = f"https://archiveofourown.org/works/{WORK_ID}/chapters/99002"
    source = SourceFile(name="Lanterns.mhtml", data=_single_file(page, location))
    assert detect(source).name == "ao3-page"
    [work] = parse_source(source)
    assert work.chapters == _parse(fixtures_dir, "chapter-2-html-only.html").chapters
    assert (work.source.id, work.metadata["saved_from"]) == (WORK_ID, location)


def test_an_mhtml_file_without_its_page_is_refused() -> None:
    page = _single_file(b"<p>x</p>", "https://archiveofourown.org/works/1")
    page = page.replace(b"Content-Type: text/html\r\n", b"Content-Type: text/plain\r\n")
    with pytest.raises(ParseError, match="no text/html part"):
        PARSER.parse(SourceFile(name="empty.mhtml", data=page))


def test_a_list_of_works_is_refused_saying_why(fixtures_dir: Path) -> None:
    source = _variant(fixtures_dir, "could have adult content", "is listed here", "adult-warning.html")
    assert PARSER.sniff(source) == 0.9
    with pytest.raises(ParseError, match="an AO3 list of works"):
        PARSER.parse(source)


def _variant(fixtures_dir: Path, old: str, new: str, name: str = "full-work.html") -> SourceFile:
    page = (fixtures_dir / "ao3-page" / name).read_text()
    assert old in page
    return SourceFile(name="variant.html", data=page.replace(old, new).encode())


def test_a_page_cut_off_before_the_chapters_is_refused(fixtures_dir: Path) -> None:
    source = _variant(fixtures_dir, 'id="chapters"', 'id="elsewhere"')
    with pytest.raises(ParseError, match="no div#chapters"):
        PARSER.parse(source)


def test_a_page_without_the_work_skin_div_is_read_from_its_main_region(fixtures_dir: Path) -> None:
    [work] = PARSER.parse(_variant(fixtures_dir, '<div id="workskin">', "<div>"))
    full = _parse(fixtures_dir, "full-work.html")
    assert (work.title, work.authors, work.summary, work.end_notes) == (
        full.title,
        full.authors,
        full.summary,
        full.end_notes,
    )
    assert work.chapters == full.chapters and work.related == full.related


def test_a_work_in_progress(fixtures_dir: Path) -> None:
    page = (fixtures_dir / "ao3-page" / "chapter-1.html").read_text()
    page = page.replace('class="status">Completed:', 'class="status">Updated:').replace(">3/3<", ">3/?<")
    [work] = PARSER.parse(SourceFile(name="wip.html", data=page.encode()))
    assert (work.status, work.chapters_expected, work.updated) == ("in-progress", None, "2024-04-20")
    assert work.stats["chapters"] == 3 and is_partial(work)


def test_a_page_without_a_work_id_says_so(fixtures_dir: Path) -> None:
    page = (fixtures_dir / "ao3-page" / "full-work.html").read_text()
    # Every place that names the work: the saved-from comment, the action bar, the chapter links
    # and the kudos form.
    page = re.sub(r"/(works|downloads)/40516273", "/\\1/x", page).replace('value="40516273"', 'value=""')
    [work] = PARSER.parse(SourceFile(name="no-id.html", data=page.encode()))
    assert work.source.id is None and work.source.site == "archiveofourown.org"
    assert any("names no AO3 work id" in doubt for doubt in work.doubts)
    assert len(work.chapters) == 3


def test_the_id_comes_from_the_kudos_form_when_nothing_else_names_it(fixtures_dir: Path) -> None:
    page = (fixtures_dir / "ao3-page" / "one-shot.html").read_text()
    page = re.sub(r"<!-- saved from url=[^>]*-->", "", page)
    page = page.replace("/downloads/40516001/", "/downloads/x/").replace("show_comments", "x")
    page = page.replace("?x=true", "")
    page = re.sub(r'(<ul class="work navigation actions".*?</ul>\n</li>\n</ul>)', "", page, flags=re.S)
    [work] = PARSER.parse(SourceFile(name="kudos.html", data=page.encode()))
    assert work.source.id == "40516001"


def test_anonymous_and_archived_bylines(fixtures_dir: Path) -> None:
    anonymous = _variant(
        fixtures_dir,
        '<a rel="author" href="https://archiveofourown.org/users/perrin_shale/pseuds/perrin_shale">perrin_shale</a>',
        "Anonymous",
        "one-shot.html",
    )
    [work] = PARSER.parse(anonymous)
    assert work.authors == ["Anonymous"] and "author_accounts" not in work.metadata
    archived = _variant(
        fixtures_dir,
        '<a rel="author" href="https://archiveofourown.org/users/perrin_shale/pseuds/perrin_shale">perrin_shale</a>',
        'Hope Marren [archived by <a rel="author" href="/users/bay_archivist/pseuds/bay_archivist">bay_archivist</a>]',
        "one-shot.html",
    )
    [work] = PARSER.parse(archived)
    assert work.authors == ["Hope Marren"] and work.metadata["archived_by"] == ["bay_archivist"]


def test_sniff_leaves_other_html_alone(fixtures_dir: Path) -> None:
    assert PARSER.sniff(_source(fixtures_dir, "download.html")) == 0.0
    mention = SourceFile(
        name="x.html", data=b"<html><body><p>I read it on the Archive of Our Own.</p></body></html>"
    )
    assert PARSER.sniff(mention) == 0.0
    elsewhere = _single_file(b"<p>Archive of Our Own</p>", "https://example.org/works/12")
    assert PARSER.sniff(SourceFile(name="other.mhtml", data=elsewhere)) == 0.0
