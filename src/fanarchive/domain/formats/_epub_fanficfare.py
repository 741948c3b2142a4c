"""FanFicFare's EPUB: a title page whose metadata is a run of `<b>Label:</b> value<br />` lines
(or, with its wide title page, `<tr><td><b>Label:</b></td><td>value</td></tr>` rows), an optional
table of contents and update log, then one file per chapter opening with an h3 (older versions:
h2) chapter title. FanFicFare's labels are its own: its "Category" is the story's fandom."""

from __future__ import annotations

import re
from html import escape

from lxml.html import HtmlElement as Element

from fanarchive.domain.formats._epub_container import EpubBook
from fanarchive.domain.formats._epub_sections import sections
from fanarchive.domain.formats._fanficfare_meta import apply_entries, chapter_title, plain_entries
from fanarchive.domain.formats._markup import inner_html, outer_html, text_of
from fanarchive.domain.formats.base import ParseError
from fanarchive.domain.sanitize import sanitize_html, sanitize_optional
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedChapter, ParsedWork

FORMAT = "fanficfare-epub"
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z0-9 ./'()-]{0,40}):\s*$")
_NOT_CHAPTERS = re.compile(r"fff_(?:titlepage|tocpage|logpage)|^(?:table of contents|update log)$", re.I)


def is_fanficfare(book: EpubBook, documents: list[Element]) -> bool:
    if any("fanficfare" in c.casefold() or "fanficdownloader" in c.casefold() for c in book.contributors):
        return True
    return any(len(_title_page_fields(doc)) >= 3 for doc in documents[:3])


def _label_of(bold: Element) -> str | None:
    text = text_of(bold)
    found = _LABEL.match(text) if text.endswith(":") else None
    return found.group(1).strip() if found else None


def _title_page_fields(body: Element) -> dict[str, str]:
    """Label -> value HTML, in page order."""
    fields: dict[str, str] = {}
    for bold in body.iter("b", "strong"):
        label = _label_of(bold)
        if label is None:
            continue
        cell = bold.getparent()
        if cell is not None and cell.tag == "td" and cell.getnext() is not None:
            fields[label] = inner_html(cell.getnext())
            continue
        parts = [escape(bold.tail or "", quote=False)]
        sibling = bold.getnext()
        while sibling is not None and not (sibling.tag in ("b", "strong") and _label_of(sibling)):
            if sibling.tag == "br":
                nxt = sibling.getnext()
                if nxt is None or (nxt.tag in ("b", "strong") and _label_of(nxt)):
                    break
            parts.append(outer_html(sibling, with_tail=True))
            sibling = sibling.getnext()
        fields[label] = "".join(parts).strip()
    return fields


def _first_heading(body: Element) -> Element | None:
    for element in body.iter("h1", "h2", "h3"):
        return element
    return None


def read_fanficfare(book: EpubBook, documents: list[Element]) -> ParsedWork:
    work = ParsedWork(title="")
    chapters: list[tuple[str | None, str]] = []
    title_page_seen = False
    title_url: str | None = None
    for section in sections(book, documents):
        body = section.body
        fields = {} if title_page_seen else _title_page_fields(body)
        if len(fields) >= 2:
            title_page_seen = True
            title_url = _read_title_line(work, body)
            _apply_fields(work, fields, book.first("source") or title_url)
            continue
        heading = _first_heading(body)
        marker = " ".join([body.get("class") or "", text_of(heading) if heading is not None else ""])
        if _NOT_CHAPTERS.search(marker.strip()) or (
            heading is not None and _NOT_CHAPTERS.search(text_of(heading))
        ):
            continue
        title = None
        if heading is not None:
            title = text_of(heading)
            heading.drop_tree()
        html = sanitize_html(inner_html(body)).strip()
        if html or title:
            chapters.append((title, html))
    if not chapters:
        raise ParseError("the FanFicFare EPUB holds no chapter files")
    for position, (title, html) in enumerate(chapters, start=1):
        work.chapters.append(
            ParsedChapter(
                number=position,
                title=chapter_title(title or "", position),
                html=html,
                words=count_words(html),
            )
        )
    work.title = work.title or book.first("title") or ""
    if not work.authors:
        work.authors = list(book.dc.get("creator", []))
    if not title_page_seen:
        # FanFicFare fills dc:language with "en" when the site names no language; its title page
        # lists the language whenever there is one, so only a book without one falls back.
        work.language = book.first("language")
        apply_entries(work, [], FORMAT, url=book.first("source"))
    if not work.title:
        raise ParseError("the FanFicFare EPUB names no title (no title page, no dc:title)")
    return work


def _apply_fields(work: ParsedWork, fields: dict[str, str], url: str | None) -> None:
    """The title page's entries mapped as FanFicFare's HTML and TXT readers map them; the title,
    authors and summary are read here, where their markup is at hand."""
    entries = plain_entries(list(fields.items()))
    apply_entries(work, entries, FORMAT, url=url)
    for label, value in entries:
        key = label.casefold()
        if key == "title" and value:
            work.title = work.title or value
        elif key in ("author", "authors") and value:
            work.authors = work.authors or [name.strip() for name in value.split(",") if name.strip()]
        elif key in ("summary", "description"):
            work.summary = sanitize_optional(fields[label])


def _read_title_line(work: ParsedWork, body: Element) -> str | None:
    """`<h3><a href=URL>Title</a> by <a href=...>Author</a></h3>` above the metadata list; returns
    the story URL its link gives."""
    heading = _first_heading(body)
    if heading is None:
        return None
    links = list(heading.iter("a"))
    if links:
        work.title = text_of(links[0])
        work.authors = [text_of(a) for a in links[1:] if text_of(a)]
        return links[0].get("href") or None
    else:
        title, _, by = text_of(heading).rpartition(" by ")
        work.title = title or text_of(heading)
        work.authors = [name.strip() for name in by.split(",") if name.strip()] if title else []
    return None
