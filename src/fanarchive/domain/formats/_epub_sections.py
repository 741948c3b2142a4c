"""What calibre does to an EPUB it re-packs, undone before chapters are read: it puts a cover page
(`titlepage.xhtml`, an SVG or image and no text) first, and splits long files into
`Name_split_000.xhtml`, `Name_split_001.xhtml`, ... at page breaks or at a size limit, so that one
chapter may span several files and the first file of a book often holds only its title.

Chapters start where the table of contents (toc.ncx) points, at a file or at an anchor in its
middle; a split file it does not point at the start of continues the file before it. Without a
table of contents, a split file that opens with a heading starts a chapter and one that does not
continues the last."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from lxml.html import HtmlElement as Element

from fanarchive.domain.formats._epub_container import EpubBook, SpineDocument
from fanarchive.domain.formats._tree_cut import cut_at, find_anchor, text_before

_SPLIT = re.compile(r"^(?P<stem>.+)_split_(?P<part>\d+)\.x?html?$", re.I)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
_WORD = re.compile(r"\w+")
_MAX_ANCHORS = 1000
# calibre marks the cover page it generates in the page's own head.
_CALIBRE_COVER = re.compile(rb"<meta[^>]+name=[\"']calibre:cover[\"']", re.I)


@dataclass
class Section:
    """One or more spine documents that read as one: their bodies joined in the first one."""

    path: str
    body: Element


def _split_of(path: str) -> tuple[str, int] | None:
    found = _SPLIT.match(posixpath.basename(path))
    if found is None:
        return None
    return posixpath.join(posixpath.dirname(path), found.group("stem")), int(found.group("part"))


def _opens_with_heading(body: Element) -> bool:
    for element in body.iter():
        if element is body or not isinstance(element.tag, str):
            continue
        if element.tag in _HEADINGS:
            return True
        if (element.text or "").strip() or (element.tail or "").strip():
            return False
    return False


def _starts_at_target(fragments: list[str | None], body: Element) -> bool:
    """Whether the table of contents points at the start of this document: at the file itself, or
    at an anchor with no words before it."""
    for fragment in fragments[:_MAX_ANCHORS]:
        if fragment is None:
            return True
        anchor = find_anchor(body, fragment)
        if anchor is not None and not text_before(body, anchor):
            return True
    return False


def _continues(toc: dict[str, list[str | None]], previous: str, path: str, body: Element) -> bool:
    """`toc`: document -> the anchors the table of contents points at in it (empty without one)."""
    this, before = _split_of(path), _split_of(previous)
    if this is None or before is None or this[0] != before[0] or this[1] <= before[1]:
        return False
    if toc:
        return not _starts_at_target(toc.get(path, []), body)
    return not _opens_with_heading(body)


def _cut_at_anchors(section: Section, fragments: list[str]) -> list[Section]:
    """The section cut where the table of contents points into its middle (calibre splits by size,
    not only at chapters, so a file may hold the end of one chapter and the start of the next)."""
    # The list keeps lxml's element proxies alive, so that their ids stay theirs.
    elements = list(section.body.iter())
    order = {id(element): position for position, element in enumerate(elements)}
    named: dict[str, Element] = {}
    for element in elements:
        if isinstance(element.tag, str):
            for name in (element.get("id"), element.get("name")):
                if name:
                    named.setdefault(name, element)
    # Each cut walks the section once: a table of contents with thousands of anchors into one
    # file is no book's, and past the limit the anchors only stop cutting.
    anchors = [named[f] for f in fragments[:_MAX_ANCHORS] if f in named]
    parts = []
    for anchor in sorted(anchors, key=lambda element: order[id(element)], reverse=True):
        if text_before(section.body, anchor):
            parts.append(Section(path=section.path, body=cut_at(section.body, anchor)))
    return [section, *reversed(parts)]


def _append(section: Section, body: Element) -> None:
    if body.text and body.text.strip():
        # Text straight inside <body> has no element to carry it: give it a paragraph.
        paragraph = Element("p")
        paragraph.text = body.text
        section.body.append(paragraph)
    for child in list(body):
        section.body.append(child)  # lxml moves the element, tail and all


def is_cover(book: EpubBook, document: SpineDocument) -> bool:
    return document.path in book.cover_paths or bool(_CALIBRE_COVER.search(document.data[:4096]))


def sections(book: EpubBook, bodies: list[Element]) -> list[Section]:
    """The spine's documents with covers left out and calibre's split files joined back."""
    found: list[Section] = []
    toc: dict[str, list[str | None]] = {}
    for path, fragment in book.toc_targets:
        toc.setdefault(path, []).append(fragment)
    fragments: list[list[str]] = []  # the anchors pointed at inside each section
    for document, body in zip(book.spine, bodies, strict=True):
        if is_cover(book, document):
            continue
        inside = [f for f in toc.get(document.path, []) if f is not None]
        if found and _continues(toc, found[-1].path, document.path, body):
            _append(found[-1], body)
            found[-1].path = document.path  # the next split part follows this one
            fragments[-1].extend(inside)
            continue
        found.append(Section(path=document.path, body=body))
        fragments.append(inside)
    return [
        part
        for section, inside in zip(found, fragments, strict=True)
        for part in _cut_at_anchors(section, inside)
    ]


def is_front_matter(book: EpubBook, body: Element) -> bool:
    """A page before the first chapter that is no chapter: one with no words (a cover image, a
    blank page), or one holding nothing but the book's title and authors (calibre's first split
    file, a title page), every word on it being one of theirs."""
    # Text node by text node: a heading and the line under it are separate words.
    words = {word.casefold() for word in _WORD.findall(" ".join(body.itertext()))}
    names = " ".join([*book.dc.get("title", []), *book.dc.get("creator", []), "by"])
    return words <= {word.casefold() for word in _WORD.findall(names)}
