"""Any HTML page holding a story: the text of its `<article>`, `<main>` (or role=main) or `<body>`,
page furniture dropped, h1-h3 headings for title and chapters, everything sanitised. It loses to
every reader that knows the page's site."""

from __future__ import annotations

import re

from fanarchive.domain.formats._chapters import split_chapters
from fanarchive.domain.formats._documents import build_work
from fanarchive.domain.formats._html_blocks import html_blocks, parse_document
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.plain import looks_like_text
from fanarchive.domain.text import DecodeError, decode_bytes
from fanarchive.domain.work import ParsedWork

_HTML_START = re.compile(rb"<(?:!doctype html|html|body|p|div|article|h[1-6])\b", re.I)
_AUTHOR_META = re.compile(r"^(?:author|article:author|dc\.creator)$", re.I)


class GenericHtmlParser:
    name = "html"
    description = "any HTML page: its article, main or body text, headings as chapters"

    def sniff(self, source: SourceFile) -> float:
        head = source.head(8192)
        if not looks_like_text(head):
            return 0.0
        return 0.3 if _HTML_START.search(head) else 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        try:
            text, _encoding = decode_bytes(source.data)
        except DecodeError as error:
            raise ParseError(str(error)) from None
        try:
            document = parse_document(text)
        except ValueError as error:
            raise ParseError(str(error)) from None
        containers = document.xpath("//article|//main|//*[@role='main']")
        container = (
            max(containers, key=lambda c: len(c.text_content())) if containers else document.find("body")
        )
        if container is None:
            container = document
        blocks = html_blocks(container)
        if not any(block.text for block in blocks):
            raise ParseError("the page holds no text")
        outline = split_chapters(blocks)
        work = ParsedWork(title="")
        if outline.title is None:
            page_title = document.findtext(".//title")
            if page_title and page_title.strip():
                work.title = " ".join(page_title.split())
                work.doubts.append("The title is the page's <title>, which may carry the site's name.")
        for meta in document.xpath("//meta[@name]"):
            if _AUTHOR_META.match(meta.get("name", "")) and (content := (meta.get("content") or "").strip()):
                work.authors.append(content)
        return [build_work(source, outline, self.name, work)]


PARSERS = [GenericHtmlParser()]
