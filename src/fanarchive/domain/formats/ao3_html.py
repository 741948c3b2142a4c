"""AO3's HTML download, in its current form (`Chapter N: Title` headings, plural labels when a
kind has several tags, Chapter Summary / Chapter Notes / Chapter End Notes blocks) and its older
one (bare chapter titles as headings, singular labels), and our own HTML download, which copies
the layout. The walk itself lives in _ao3_layout, shared with the EPUB readers."""

from __future__ import annotations

from pathlib import PurePath

import lxml.etree
import lxml.html

from fanarchive.domain.formats._ao3_fields import site_of, work_id
from fanarchive.domain.formats._ao3_layout import LayoutReader
from fanarchive.domain.formats._html_blocks import check_markup
from fanarchive.domain.formats._markup import text_of
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.work import ParsedWork, Source

AO3_SITE = "archiveofourown.org"


def parse_html_document(text: str) -> lxml.html.HtmlElement:
    # lxml refuses str input that carries an XML encoding declaration; XHTML often does.
    if text.lstrip().startswith("<?xml"):
        end = text.find("?>")
        if end < 0:
            raise ParseError("the XML declaration never ends (no `?>`)")
        text = text[end + 2 :]
    check_markup(text)
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ParseError(f"not readable as HTML: {error}") from None


def finish_source(work: ParsedWork, reader: LayoutReader, format_name: str, fallback_url: str | None) -> None:
    """The work's URL: the preface message's link to a work (AO3 and ours both give one)."""
    urls = [url for url in reader.urls if work_id(url)] or [
        url for url in reader.urls if url.startswith("http")
    ]
    url = urls[0] if urls else fallback_url
    work.source = Source(format=format_name, site=site_of(url), url=url, id=work_id(url))


class AO3HtmlParser:
    name = "ao3-html"
    surest = 0.95
    description = "AO3's HTML download (current and older forms), and fanarchive's own HTML download"

    def sniff(self, source: SourceFile) -> float:
        head = source.head_text(65536)
        preface = 'id="preface"' in head or "id='preface'" in head
        # The chapters div follows the preface, past the head: look through the bytes, not a decode.
        chapters = preface and (b'id="chapters"' in source.data or b"id='chapters'" in source.data)
        if preface and chapters:
            return 0.95
        if preface and "Posted originally on the" in head:
            return 0.8
        return 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text = source.text()
        root = parse_html_document(text)
        body = root.find("body")
        # find() stops at the first, where xpath() collects all; `//*` takes in the root itself.
        if body is None or (root.get("id") != "chapters" and root.find(".//*[@id='chapters']") is None):
            raise ParseError("no div#chapters: not an AO3 HTML download")
        work = ParsedWork(title="")
        reader = LayoutReader(work)
        reader.feed(body)
        reader.finish()
        if not work.chapters:
            raise ParseError("div#chapters holds no chapter text")
        if not work.title:
            head_title = root.find("head/title")
            stem = PurePath(source.name).stem.replace("_", " ")
            work.title = (text_of(head_title).split(" - ")[0] if head_title is not None else "") or stem
            work.doubts.append(
                "The download has no h1 title; the title was taken from the page title or file name."
            )
        if not work.authors:
            work.doubts.append("The download names no author.")
        finish_source(work, reader, self.name, None)
        if work.source.site is None and "Archive of Our Own" in text:
            work.source.site = AO3_SITE
        return [work]


PARSERS = [AO3HtmlParser()]
