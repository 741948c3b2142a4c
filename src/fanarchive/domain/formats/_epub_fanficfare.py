"""FanFicFare's EPUB: a title page whose metadata is a run of `<b>Label:</b> value<br />` lines
(or, with its wide title page, `<tr><td><b>Label:</b></td><td>value</td></tr>` rows), an optional
table of contents and update log, then one file per chapter opening with an h3 (older versions:
h2) chapter title. FanFicFare's labels are its own: its "Category" is the story's fandom."""

from __future__ import annotations

import re
from html import escape

from lxml.html import HtmlElement as Element
from lxml.html import tostring

from fanarchive.domain.formats._ao3_fields import (
    add_tags,
    number_from_one,
    read_heading,
    site_of,
    text_of,
    work_id,
)
from fanarchive.domain.formats._ao3_layout import inner_html
from fanarchive.domain.formats._epub_container import EpubBook
from fanarchive.domain.formats.base import ParseError
from fanarchive.domain.sanitize import sanitize_html, sanitize_optional
from fanarchive.domain.tags import TagKind, official_category, official_warning
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedChapter, ParsedWork, SeriesRef, Source

FORMAT = "fanficfare-epub"
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z0-9 ./'()-]{0,40}):\s*$")
_SERIES = re.compile(r"^(.*?)\s*\[(\d+)\]$")
_NUMBERED = re.compile(r"^(\d+)\.\s+(.+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_TAG_LABELS: dict[str, TagKind] = {
    "rating": TagKind.RATING,
    "characters": TagKind.CHARACTER,
    "relationships": TagKind.RELATIONSHIP,
    "pairings": TagKind.RELATIONSHIP,
    "ships": TagKind.RELATIONSHIP,
    "fandoms": TagKind.FANDOM,
    "fandom": TagKind.FANDOM,
    "genre": TagKind.FREEFORM,
    "genres": TagKind.FREEFORM,
    "freeform tags": TagKind.FREEFORM,
    "additional tags": TagKind.FREEFORM,
    "tags": TagKind.FREEFORM,
}
_STAT_LABELS = ("words", "chapters", "kudos", "hits", "comments", "bookmarks", "reviews", "favs", "follows")
_NOT_CHAPTERS = re.compile(r"fff_(?:titlepage|tocpage|logpage)|^(?:table of contents|update log)$", re.I)


def is_fanficfare(book: EpubBook, documents: list[Element]) -> bool:
    if any("fanficfare" in c.casefold() or "fanficdownloader" in c.casefold() for c in book.contributors):
        return True
    return any(len(_title_page_fields(doc)) >= 3 for doc in documents[:3])


def _label_of(bold: Element) -> str | None:
    text = text_of(bold)
    found = _LABEL.match(text) if text.endswith(":") else None
    return found.group(1).strip() if found else None


def _outer(element: Element) -> str:
    tail, element.tail = element.tail, None
    html = str(tostring(element, encoding="unicode"))
    element.tail = tail
    return html + escape(tail or "", quote=False)


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
            parts.append(_outer(sibling))
            sibling = sibling.getnext()
        fields[label] = "".join(parts).strip()
    return fields


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").split())


def _names(html: str) -> list[str]:
    return [name.strip() for name in _plain(html).split(",") if name.strip()]


def _apply(work: ParsedWork, label: str, html: str) -> None:
    key, text = label.casefold(), _plain(html)
    if key == "title":
        work.title = work.title or text
    elif key in ("author", "authors"):
        work.authors = work.authors or _names(html)
    elif key in ("summary", "description"):
        work.summary = sanitize_optional(html)
    elif key == "language":
        work.language = text or None
    elif key in ("published", "updated"):
        if _DATE.match(text):
            setattr(work, key, text[:10])
    elif key == "status":
        work.status = _status(text)
    elif key in _TAG_LABELS:
        add_tags(work, _TAG_LABELS[key], _names(html))
    elif key in ("category", "categories"):
        for name in _names(html):
            add_tags(work, TagKind.CATEGORY if official_category(name) else TagKind.FANDOM, [name])
    elif key in ("warnings", "warning", "archive warnings"):
        for name in _names(html):
            official = official_warning(name)
            work.add_tag(TagKind.WARNING if official else TagKind.FREEFORM, official or name)
    elif key in _STAT_LABELS and re.fullmatch(r"[\d,]+", text):
        work.stats[key] = int(text.replace(",", ""))
    elif key == "series":
        for part in (p for p in text.split(", ") if p):
            found = _SERIES.match(part)
            title, position = (found.group(1), int(found.group(2))) if found else (part, None)
            work.series.append(SeriesRef(title=title, position=position))
    else:
        work.metadata.setdefault("title_page", {})[label] = text


def _status(text: str) -> str | None:
    key = text.casefold()
    if key.startswith("complete"):
        return "complete"
    if key.startswith(("in-progress", "in progress", "wip", "incomplete")):
        return "in-progress"
    return None


def _first_heading(body: Element) -> Element | None:
    for element in body.iter("h1", "h2", "h3"):
        return element
    return None


def read_fanficfare(book: EpubBook, documents: list[Element]) -> ParsedWork:
    work = ParsedWork(title="")
    chapters: list[tuple[str | None, str]] = []
    title_page_seen = False
    for body in documents:
        fields = {} if title_page_seen else _title_page_fields(body)
        if len(fields) >= 2:
            title_page_seen = True
            _read_title_line(work, body)
            for label, html in fields.items():
                _apply(work, label, html)
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
        numbered = _NUMBERED.match(title or "")
        if numbered:  # FanFicFare's add_chapter_numbers: "3. Title"
            number, name = int(numbered.group(1)), numbered.group(2)
        else:
            number, name = read_heading(title or "", position)
        work.chapters.append(ParsedChapter(number=number, title=name, html=html, words=count_words(html)))
    number_from_one(work)
    work.title = work.title or book.first("title") or ""
    if not work.authors:
        work.authors = list(book.dc.get("creator", []))
    work.language = work.language or book.first("language")
    if work.stats.get("chapters") and work.status == "complete":
        work.chapters_expected = work.stats["chapters"]
    url = book.first("source") or work.metadata.get("title_page", {}).get("Story URL")
    work.source = Source(format=FORMAT, site=site_of(url), url=url, id=work_id(url))
    if not work.title:
        raise ParseError("the FanFicFare EPUB names no title (no title page, no dc:title)")
    return work


def _read_title_line(work: ParsedWork, body: Element) -> None:
    """`<h3><a href=URL>Title</a> by <a href=...>Author</a></h3>` above the metadata list."""
    heading = _first_heading(body)
    if heading is None:
        return
    links = list(heading.iter("a"))
    if links:
        work.title = text_of(links[0])
        work.authors = [text_of(a) for a in links[1:] if text_of(a)]
        if links[0].get("href"):
            work.metadata.setdefault("title_page", {})["Story URL"] = links[0].get("href")
    else:
        title, _, by = text_of(heading).rpartition(" by ")
        work.title = title or text_of(heading)
        work.authors = [name.strip() for name in by.split(",") if name.strip()] if title else []
