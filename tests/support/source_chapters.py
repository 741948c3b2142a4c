"""The words of each chapter of a source file, found from the file's own structure as its format
defines it, never through the reader: the fidelity test (tests/archive/test_import_fidelity.py)
checks the readers against these counts.

One function per reader, taking the source and the chapter titles the import stored (used only to
find where a heuristic format's chapters begin), returning each chapter's word count in order over
all the file's works. eFiction's printable text, which runs notes into the chapter text, is
compared with chapter and notes together; see the test."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any

from lxml import etree, html

from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.text import count_words, count_words_text, decode_bytes

Extractor = Callable[[SourceFile, Sequence[str | None]], list[int]]


def _words(lines: Iterable[str]) -> int:
    return count_words_text("\n".join(lines))


def _element_words(element: etree._Element, leave_out: str | None = None) -> int:
    """Words of an element's markup, by the same count the archive uses, less the words of the
    descendants `leave_out` (an XPath) selects."""
    if leave_out is not None:
        for dropped in element.xpath(leave_out):
            dropped.getparent().remove(dropped)
    return count_words(etree.tostring(element, encoding="unicode", with_tail=False))


def _page(source: SourceFile) -> html.HtmlElement:
    # An XHTML page's `<?xml … encoding=…?>` line is refused with text input, and says nothing else.
    return html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", source.text()))


def _class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# --- HTML pages whose format names the chapter's element ------------------------------------------


def ao3_layout(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """AO3's download and its work pages: each chapter's text is a div.userstuff in div#chapters
    (its "Chapter Text" landmark heading aside); an old one-shot download's div#chapters is it."""
    page = _page(source)
    [chapters] = page.xpath("//div[@id='chapters']")
    bodies = chapters.xpath(f".//div[{_class('userstuff')}]") or [chapters]
    return [_element_words(body, f".//h3[{_class('landmark')}]") for body in bodies]


def by_xpath(path: str) -> Extractor:
    def extract(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
        return [_element_words(element) for element in _page(source).xpath(path)]

    return extract


def fanficfare_html(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """FanFicFare's HTML: each chapter is an `<a name="sectionNNNN"><h2>` then its text up to the
    next section (a div.userstuff, or bare paragraphs for some sites)."""
    page = _page(source)
    counts = []
    for anchor in page.xpath("//a[starts-with(@name, 'section')]"):
        words = 0
        for sibling in anchor.itersiblings():
            if sibling.tag == "a" and (sibling.get("name") or "").startswith("section"):
                break
            words += _element_words(sibling)
        counts.append(words)
    return counts


def _names(heading: str, title: str | None) -> bool:
    """Whether a heading line is the one of the chapter titled `title` (`Chapter 2: Title` too)."""
    return title is not None and (heading == title or heading.endswith(f": {title}"))


def generic_html(source: SourceFile, titles: Sequence[str | None]) -> list[int]:
    """Any page: a chapter is the section holding its heading (an article, section or div, with a
    header around the heading left out), less the heading; a page of one untitled chapter is its
    body less its h1 and its page header."""
    page = _page(source)
    for invisible in page.xpath("//script | //style | //nav | //body/header"):
        invisible.getparent().remove(invisible)
    if titles == [None]:
        return [_element_words(page.body, ".//h1")]
    counts = []
    for title in titles:
        [heading] = [
            h for h in page.xpath("//h1 | //h2 | //h3") if _names(" ".join(h.text_content().split()), title)
        ]
        container = heading.getparent()
        if container.tag == "header":
            heading, container = container, container.getparent()
        container.remove(heading)
        counts.append(_element_words(container))
    return counts


# --- Text files ------------------------------------------------------------------------------------


def _lines(source: SourceFile) -> list[str]:
    return source.text().replace("\r\n", "\n").split("\n")


def _segments(lines: Sequence[str], starts: Sequence[int]) -> list[int]:
    """Words from each start line (exclusive) to the next start."""
    ends = [*starts[1:], len(lines)]
    return [_words(lines[start + 1 : end]) for start, end in zip(starts, ends, strict=True)]


_HEADING = re.compile(r"^\s*(?:(?:chapter|part)\s+[\w]+|prologue|epilogue)\b.{0,70}$", re.I)


def plain_text(source: SourceFile, titles: Sequence[str | None]) -> list[int]:
    """Prose between its chapter headings (lines of their own: `Chapter 2`, `CHAPTER II`,
    `Chapter One: Title`, `Prologue`, or a chapter's title); without headings, all of it."""
    lines = _lines(source)
    if list(titles) == [None]:
        return [_words(lines)]
    starts = [i for i, line in enumerate(lines) if _HEADING.match(line) or line.strip() in titles]
    return _segments(lines, starts)


def markdown(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """A chapter is what follows an ATX heading (`## Chapter 1`), up to the next."""
    lines = _lines(source)
    starts = [i for i, line in enumerate(lines) if re.match(r"^#{1,6}\s+\S", line)]
    return _segments(lines, starts)


_AO3_END = ("Notes:", "Series this work belongs to:", "Works inspired by this one:")


def ao3_text(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """AO3's TXT download: a chapter's text follows a `Chapter Text` (one-shot: `Work Text:`) line
    and ends at its end notes, the next chapter's heading (a `Chapter N` line with the chapter's
    summary, notes or text under it: the same words inside prose are prose) or the afterword."""
    lines = [line.strip() for line in _lines(source)] + [""]

    def ends_text(i: int) -> bool:
        heading = re.match(r"^Chapter \d+(?::.*)?$", lines[i]) and lines[i + 1] in (
            "Summary:",
            "Notes:",
            "Chapter Text",
        )
        return bool(heading) or lines[i] in _AO3_END

    counts = []
    for start, line in enumerate(lines):
        if line in ("Chapter Text", "Work Text:"):
            end = next((i for i in range(start + 1, len(lines) - 1) if ends_text(i)), len(lines))
            counts.append(_words(lines[start + 1 : end]))
    return counts


def fanficfare_text(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """FanFicFare's TXT: each chapter title is indented by a tab (eight spaces when expanded); the
    file ends with FanFicFare's own `End file.` line."""
    lines = _lines(source)
    last = max(i for i, line in enumerate(lines) if line.strip())
    if lines[last].strip() == "End file.":
        lines = lines[:last]
    starts = [i for i, line in enumerate(lines) if re.match(r"^(\t| {8})\S", line)]
    return _segments(lines, starts)


def fanarchive_text(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """Our own TXT export: a `Chapter Text` heading underlined with dashes, up to the next
    underlined heading."""
    lines = _lines(source)
    underlined = [i for i in range(len(lines) - 1) if lines[i] and re.fullmatch(r"[-=]{3,}", lines[i + 1])]
    counts = []
    for i in underlined:
        if lines[i].strip() != "Chapter Text":
            continue
        end = next((k for k in underlined if k > i), len(lines))
        counts.append(_words(lines[i + 2 : end]))
    return counts


def ffn_mirror_text(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """An FFN mirror's text page: `TITLE @handle`, the chapter's title, its text, then the index line."""
    lines = [line for line in _lines(source) if line.strip()]
    return [_words(lines[2:-1])]


def efiction_text(source: SourceFile, titles: Sequence[str | None]) -> list[int]:
    """eFiction's printable text: each chapter from its `TITLE by AUTHOR` line to the next, less the
    `Author's Notes:` and `End Notes:` labels (their notes are counted with the chapter)."""
    labels = {"Author's Notes:", "End Notes:"}
    lines = [line for line in _lines(source) if line.strip() not in labels]
    starts = [
        i for i, line in enumerate(lines) if re.sub(r"^Chapter \d+: | by .*$", "", line.strip()) in titles
    ]
    return _segments(lines, starts)


# --- Structured files --------------------------------------------------------------------------------


def work_json(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    data = json.loads(source.text())
    return [count_words(chapter["html"]) for work in data["works"] for chapter in work["chapters"]]


def _npf_words(content: list[dict[str, Any]], layout: list[dict[str, Any]]) -> int:
    """An NPF post's text blocks outside its ask layout, less an opening `heading1` (its title)."""
    asked = {i for part in layout if part.get("type") == "ask" for i in part["blocks"]}
    blocks = [block for i, block in enumerate(content) if i not in asked and block.get("type") == "text"]
    if blocks and blocks[0].get("subtype") == "heading1":
        blocks = blocks[1:]
    return sum(count_words_text(block.get("text", "")) for block in blocks)


def tumblr_json(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """The post's own text: a legacy post's answer, body or caption; an NPF post's text blocks; a
    reblog that added nothing, the text of the first post of its trail."""
    data = json.loads(source.text())
    posts = data["response"]["posts"] if "response" in data else data.get("posts", data)
    counts = []
    for post in posts if isinstance(posts, list) else [posts]:
        if "content" in post:
            own = post["content"] or (post["trail"][0]["content"] if post.get("trail") else [])
            layout = post["layout"] if post["content"] else post["trail"][0].get("layout", [])
            counts.append(_npf_words(own, layout))
        else:
            field = next(k for k in ("answer", "body", "caption", "description", "text") if post.get(k))
            counts.append(count_words(post[field]))
    return counts


def _zip_member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


_XHTML = "{http://www.w3.org/1999/xhtml}"


def _package(data: bytes) -> tuple[etree._Element, PurePosixPath]:
    container = etree.fromstring(_zip_member(data, "META-INF/container.xml"))
    [opf_path] = container.xpath("//*[local-name()='rootfile']/@full-path")
    return etree.fromstring(_zip_member(data, opf_path)), PurePosixPath(opf_path).parent


def _spine_paths(data: bytes) -> list[str]:
    opf, folder = _package(data)
    hrefs = {item.get("id"): item.get("href") for item in opf.xpath("//*[local-name()='item']")}
    return [str(folder / hrefs[ref]) for ref in opf.xpath("//*[local-name()='itemref']/@idref")]


def _spine(data: bytes) -> list[etree._Element]:
    """The EPUB's spine documents, parsed, in reading order."""
    return [etree.fromstring(_zip_member(data, path)) for path in _spine_paths(data)]


def _toc_starts(data: bytes) -> list[str]:
    """The documents the NCX table of contents points at, in its order (none without an NCX)."""
    opf, folder = _package(data)
    ncx = opf.xpath("//*[local-name()='item'][@media-type='application/x-dtbncx+xml']/@href")
    if not ncx:
        return []
    toc = etree.fromstring(_zip_member(data, str(folder / ncx[0])))
    sources = toc.xpath("//*[local-name()='navPoint']/*[local-name()='content']/@src")
    return [str(folder / src.split("#")[0]) for src in sources]


_HEADINGS = "//*[local-name()='h1' or local-name()='h2' or local-name()='h3']"
_BYLINE = "//*[local-name()='p' or local-name()='div'][starts-with(normalize-space(.), 'by ')]"


def epub(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """A plain EPUB: a chapter runs from the document a table-of-contents entry points at to the
    next entry's (without a TOC, each spine document is one), less its headings. Entries with no
    text beyond headings and a `by AUTHOR` line are the book's title page, not chapters."""
    paths = _spine_paths(source.data)
    words = [
        _element_words(
            etree.fromstring(_zip_member(source.data, path)).find(f"{_XHTML}body"), f"{_HEADINGS} | {_BYLINE}"
        )
        for path in paths
    ]
    starts = sorted({paths.index(path) for path in _toc_starts(source.data) if path in paths}) or list(
        range(len(paths))
    )
    ends = [*starts[1:], len(paths)]
    return [
        count for count in (sum(words[start:end]) for start, end in zip(starts, ends, strict=True)) if count
    ]


def fanficfare_epub(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """FanFicFare's EPUB: the `fff_chapter` documents, less their title."""
    return [
        _element_words(body, f".//*[{_class('fff_chapter_title')}]")
        for doc in _spine(source.data)
        for body in doc.xpath(f"//*[local-name()='body' and {_class('fff_chapter')}]")
    ]


def ao3_epub(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """AO3's EPUB (calibre-split too): in a chapter's document the heading's block is followed by
    the text's block, then the end notes' block (id `endnotesN`)."""
    counts = []
    for doc in _spine(source.data):
        for heading in doc.xpath("//*[local-name()='h2' and starts-with(normalize-space(.), 'Chapter ')]"):
            text = heading.getparent().getnext()
            counts.append(_element_words(text))
    return counts


def _office_paragraphs(source: SourceFile) -> list[tuple[str, str]]:
    """(kind, text) of each paragraph: kind `heading` for a chapter heading (DOCX Heading 1, ODT
    outline level 1), `title`, `break` after a page break, or `text`."""
    if source.name.endswith(".docx"):
        root = etree.fromstring(_zip_member(source.data, "word/document.xml"))
        ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        found = []
        for paragraph in root.iter(f"{{{ns['w']}}}p"):
            style = "".join(paragraph.xpath("./w:pPr/w:pStyle/@w:val", namespaces=ns))
            text = "".join(paragraph.xpath(".//w:t/text()", namespaces=ns))
            kind = {"Heading1": "heading", "Title": "title"}.get(style, "text")
            found.append((kind, text))
            if paragraph.xpath(".//w:br[@w:type='page']", namespaces=ns):
                found.append(("break", ""))
        return found
    root = etree.fromstring(_zip_member(source.data, "content.xml"))
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    ns = {"text": text_ns, "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0"}
    breaking = set(
        root.xpath(
            "//style:style[style:paragraph-properties/@*[local-name()='break-before']='page']/@style:name",
            namespaces=ns,
        )
    )
    found = []
    [body] = root.xpath(
        "//*[local-name()='text' and namespace-uri()='urn:oasis:names:tc:opendocument:xmlns:office:1.0']"
    )
    for block in body:
        # A comment is not shown; a footnote shows its number twice, in the text and by the note.
        for gone in block.xpath(".//*[local-name()='annotation']"):
            gone.getparent().remove(gone)
        for citation in block.xpath(".//text:note-citation", namespaces=ns):
            citation.text = f"{citation.text} {citation.text}"
        for space in block.xpath(".//text:s | .//text:tab | .//text:line-break", namespaces=ns):
            space.text = " "
        if block.get(f"{{{text_ns}}}style-name") in breaking:
            found.append(("break", ""))
        level = block.get(f"{{{text_ns}}}outline-level")
        kind = "heading" if block.tag == f"{{{text_ns}}}h" and level == "1" else "text"
        if block.get(f"{{{text_ns}}}style-name") == "Title":
            kind = "title"
        found.append((kind, " ".join(block.itertext())))
    return found


def office(source: SourceFile, _titles: Sequence[str | None]) -> list[int]:
    """DOCX and ODT: chapters start at each chapter heading; without any, at each page break, the
    first short line of each section being its title."""
    paragraphs = [(kind, text) for kind, text in _office_paragraphs(source) if kind != "title"]
    counts: list[int] = []
    if any(kind == "heading" for kind, _text in paragraphs):
        for kind, text in paragraphs:
            if kind == "heading":
                counts.append(0)
            elif counts:
                counts[-1] += count_words_text(text)
        return counts
    sections: list[list[str]] = [[]]
    for kind, text in paragraphs:
        if kind == "break":
            sections.append([])
        elif text.strip():
            sections[-1].append(text)
    return [_words(section[1:]) for section in sections if section]


_ROW_TOKEN = re.compile(r"""\(|\)|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|NULL|-?\d+(?:\.\d+)?""")
_MYSQL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "", "Z": ""}


def _rows(dump: str, table: str) -> list[list[str]]:
    """The value tuples of every `INSERT INTO [prefix_]table VALUES (…),(…);` in a MySQL dump."""
    rows: list[list[str]] = []
    statement = re.compile(rf"^INSERT INTO `?(?:\w+_)?{table}`? VALUES\s*(.*);\s*$", re.M)
    for match in statement.finditer(dump):
        row: list[str] = []
        for token in _ROW_TOKEN.findall(match.group(1)):
            if token == "(":
                row = []
            elif token == ")":
                rows.append(row)
            elif token[0] in "'\"":
                row.append(
                    re.sub(r"\\(.)", lambda m: _MYSQL_ESCAPES.get(m.group(1), m.group(1)), token[1:-1])
                )
            else:
                row.append(token)
    return rows


def efiction_dump(source: SourceFile, titles: Sequence[str | None]) -> list[int]:
    """eFiction's chapters table, 3.0–3.5 layout (chapid, title, inorder, notes, storytext, endnotes,
    validated, wordcount, rating, reviews, sid, uid, …): a chapter's text is its storytext, or
    when that is empty the file `<storiespath>/<uid>/<chapid>.txt` beside the dump. Chapters are
    found by title."""
    dump = source.text()
    folders = [
        "stories",
        *(value for row in _rows(dump, "settings") for value in row if re.fullmatch(r"[\w-]+", value)),
    ]
    words: dict[str, int] = {}
    for row in _rows(dump, "chapters"):
        chapid, title, text, uid = row[0], row[1], row[4], row[11]
        if not text:
            found = (source.open_sibling(f"{folder}/{uid}/{chapid}.txt") for folder in folders)
            text = next((decode_bytes(data)[0] for data in found if data is not None), "")
        words[title] = count_words(text)
    return [words[title or ""] for title in titles]


# Which reader's chapters are found how. A reader missing here fails the fidelity test: say how its
# chapters are found before it joins.
EXTRACTORS: dict[str, Extractor] = {
    "ao3-html": ao3_layout,
    "ao3-page": ao3_layout,
    "ao3-text": ao3_text,
    "ao3-epub": ao3_epub,
    "docx": office,
    "odt": office,
    "efiction-dump": efiction_dump,
    # Skins differ: the default's div.chapter, older ones' div#story.
    "efiction-html": by_xpath("//div[@class='chapter'] | //div[@id='story']"),
    "efiction-text": efiction_text,
    "epub": epub,
    "fanarchive-txt": fanarchive_text,
    "fanficfare-epub": fanficfare_epub,
    "fanficfare-html": fanficfare_html,
    "fanficfare-txt": fanficfare_text,
    "ffn-html": by_xpath("//div[@id='storytext']"),
    "ffn-mirror-text": ffn_mirror_text,
    "html": generic_html,
    "markdown": markdown,
    "plain-text": plain_text,
    "tumblr-json": tumblr_json,
    "work-json": work_json,
}
