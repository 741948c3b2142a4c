"""EPUB files, read in spine order. Three readers, tried from the most specific:

- AO3's EPUB (calibre's conversion of AO3's HTML download) and the EPUB fanarchive itself writes:
  both keep AO3's preface list and labels, read by the same walk as the HTML download;
- FanFicFare's EPUB: its title page metadata list and one file per chapter;
- any other EPUB: Dublin Core metadata and one chapter per spine document that has text, with a
  doubt saying so.

Each has its own parser so that detection prefers the specific ones; `--format epub` reads any EPUB
with whichever reader fits."""

from __future__ import annotations

import re

from lxml.html import HtmlElement as Element

from fanarchive.domain.formats._ao3_fields import site_of, work_id
from fanarchive.domain.formats._ao3_layout import LayoutReader
from fanarchive.domain.formats._chapters import title_at
from fanarchive.domain.formats._epub_container import EpubBook, looks_like_epub, read_book
from fanarchive.domain.formats._epub_fanficfare import is_fanficfare, read_fanficfare
from fanarchive.domain.formats._epub_sections import is_front_matter, sections
from fanarchive.domain.formats._markup import inner_html, text_of
from fanarchive.domain.formats.ao3_html import AO3_SITE, finish_source, parse_html_document
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html, sanitize_optional
from fanarchive.domain.tags import TagKind
from fanarchive.domain.text import DecodeError, count_words, decode_bytes, text_to_html
from fanarchive.domain.work import ParsedChapter, ParsedWork, SeriesRef, Source

_AO3_MARKERS = (re.compile(rb"<dt[^>]*>\s*Stats:", re.I), re.compile(rb"Posted originally on the"))
_SNIFF_DOCUMENTS = 4


def _bodies(book: EpubBook) -> list[Element]:
    bodies = []
    for document in book.spine:
        try:
            text, _encoding = decode_bytes(document.data)
        except DecodeError as error:
            raise ParseError(f"spine document {document.path!r} is not text: {error}") from None
        root = parse_html_document(text)
        body = root.find("body")
        bodies.append(body if body is not None else root)
    return bodies


def _is_ao3_layout(book: EpubBook) -> bool:
    return any(
        pattern.search(document.data)
        for document in book.spine[:_SNIFF_DOCUMENTS]
        for pattern in _AO3_MARKERS
    )


def _sniff_book(source: SourceFile) -> EpubBook | None:
    if not looks_like_epub(source):
        return None
    try:
        return read_book(source, spine_limit=_SNIFF_DOCUMENTS)
    except ParseError:
        return None


def _read_ao3(book: EpubBook, bodies: list[Element], format_name: str) -> ParsedWork:
    work = ParsedWork(title="")
    reader = LayoutReader(work)
    for body in bodies:
        reader.feed(body)
        reader.end_document()
    reader.finish()
    if not work.chapters:
        raise ParseError("the EPUB's preface was found but no chapter text follows it")
    if not work.title:
        work.title = book.first("title") or ""
        work.doubts.append("The preface has no title heading; the title is the EPUB's dc:title.")
    if not work.authors:
        work.authors = list(book.dc.get("creator", []))
    # No dc:language fallback: the preface states the language when there is one, and writers
    # (ours included) fill dc:language with a default when there is not.
    finish_source(work, reader, format_name, book.first("source"))
    if work.source.site is None and any("Archive of Our Own" in c for c in book.dc.get("publisher", [])):
        work.source.site = AO3_SITE
    return work


def _read_generic(book: EpubBook, bodies: list[Element]) -> ParsedWork:
    work = ParsedWork(title=book.first("title") or "", authors=list(book.dc.get("creator", [])))
    if not work.title:
        raise ParseError("the EPUB has no dc:title")
    work.language = book.first("language")
    description = book.first("description")
    if description:
        work.summary = sanitize_optional(description if "<" in description else text_to_html(description))
    for subject in book.dc.get("subject", []):
        work.add_tag(TagKind.FREEFORM, subject)
    if series := book.meta.get("calibre:series"):
        index = book.meta.get("calibre:series_index", "")
        # calibre writes the index as a float ("2", "2.0", "2.5"); a whole one is a position.
        position = float(index) if re.fullmatch(r"\d{1,6}(?:\.\d+)?", index) else None
        whole = position is not None and position.is_integer()
        work.series.append(SeriesRef(title=series, position=int(position) if whole and position else None))
    date = book.first("date")
    if date and re.match(r"^\d{4}-\d{2}-\d{2}", date):
        work.published = date[:10]
    found = sections(book, bodies)
    while len(found) > 1 and is_front_matter(book, found[0].body):
        found.pop(0)
    for section in found:
        body = section.body
        heading = next(body.iter("h1", "h2", "h3"), None)
        title = text_of(heading) if heading is not None else None
        if heading is not None:
            heading.drop_tree()
        html = sanitize_html(inner_html(body)).strip()
        if not text_of(body) and "<img" not in html:
            continue  # covers without images, blank separator pages
        position = len(work.chapters) + 1
        work.chapters.append(
            ParsedChapter(
                number=position, title=title_at(title or "", position), html=html, words=count_words(html)
            )
        )
    if not work.chapters:
        raise ParseError("the EPUB's spine holds no document with text")
    url = book.first("source")
    work.source = Source(format="epub", site=site_of(url), url=url, id=work_id(url))
    work.doubts.append(
        "Read as a generic EPUB: one chapter per spine document with text (calibre's split files joined "
        "where its table of contents shows one chapter), titled by its first heading; "
        "tags are the EPUB's dc:subject values, all taken as additional tags."
    )
    return work


class AO3EpubParser:
    name = "ao3-epub"
    surest = 0.9
    description = "AO3's EPUB download (made by calibre from the HTML download), and fanarchive's own EPUB"

    def sniff(self, source: SourceFile) -> float:
        book = _sniff_book(source)
        return 0.9 if book is not None and _is_ao3_layout(book) else 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        book = read_book(source)
        return [_read_ao3(book, _bodies(book), self.name)]


class FanFicFareEpubParser:
    name = "fanficfare-epub"
    surest = 0.9
    description = "an EPUB made by FanFicFare (title page metadata list, one file per chapter)"

    def sniff(self, source: SourceFile) -> float:
        book = _sniff_book(source)
        if book is None:
            return 0.0
        try:
            return 0.9 if is_fanficfare(book, _bodies(book)) else 0.0
        except ParseError:
            return 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        book = read_book(source)
        return [read_fanficfare(book, _bodies(book))]


class EpubParser:
    name = "epub"
    surest = 0.5
    description = "any EPUB: AO3's, fanarchive's and FanFicFare's are recognised, others read generically"

    def sniff(self, source: SourceFile) -> float:
        if looks_like_epub(source):
            return 0.5
        # A damaged EPUB still deserves the EPUB reader's explanation of what is wrong with it.
        return 0.5 if source.suffix == "epub" and source.data[:2] == b"PK" else 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        book = read_book(source)
        bodies = _bodies(book)
        if _is_ao3_layout(book):
            return [_read_ao3(book, bodies, AO3EpubParser.name)]
        if is_fanficfare(book, bodies):
            return [read_fanficfare(book, bodies)]
        return [_read_generic(book, bodies)]


PARSERS = [AO3EpubParser(), FanFicFareEpubParser(), EpubParser()]
