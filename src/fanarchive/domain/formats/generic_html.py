"""Any HTML page holding a story: the text of its `<article>`, `<main>` (or role=main) or `<body>`,
page furniture dropped, h1-h3 headings for title and chapters, everything sanitised. A page with
several substantial `<article>`s (one per chapter) reads each as a chapter. It loses to every reader
that knows the page's site."""

from __future__ import annotations

import re

import lxml.html

from fanarchive.domain.formats._chapters import Chapter, Outline, chapter_heading, split_chapters
from fanarchive.domain.formats._documents import build_work
from fanarchive.domain.formats._html_blocks import html_blocks, parse_document
from fanarchive.domain.formats._markup import text_of
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.plain import looks_like_text
from fanarchive.domain.text import count_words_text
from fanarchive.domain.work import ParsedWork

_HTML_START = re.compile(rb"<(?:!doctype html|html|body|p|div|article|h[1-6])\b", re.I)
_AUTHOR_META = re.compile(r"^(?:author|article:author|dc\.creator)$", re.I)
# An article is a chapter when it holds at least this much text, and at least this share of the
# longest: comment boxes and "more by this author" teasers are articles too, and much shorter.
_SUBSTANTIAL_CHARS = 300
_SUBSTANTIAL_SHARE = 0.1
_SITE_FURNITURE = (
    "ancestor::article or ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside"
)


def _left_out_doubt(left_out: list[lxml.html.HtmlElement], reason: str) -> list[str]:
    # Joined piece by piece, so a heading's last word and the next paragraph's first stay two words.
    words = sum(count_words_text(" ".join(element.itertext())) for element in left_out)
    if not words:
        return []
    count = f"{len(left_out)} other <article> element{'s' if len(left_out) > 1 else ''}"
    return [f"{count} holding {words:,} words {'were' if len(left_out) > 1 else 'was'} left out: {reason}."]


def _article_outline(
    document: lxml.html.HtmlElement, articles: list[lxml.html.HtmlElement], short: list[lxml.html.HtmlElement]
) -> Outline:
    """One chapter per article, titled by its opening heading; the page's own h1 outside them
    (when there is exactly one) titles the work."""
    chapters: list[Chapter] = []
    for article in articles:
        blocks = html_blocks(article)
        first = next((block for block in blocks if block.text.strip()), None)
        title: str | None = None
        if first is not None and first.level is not None:
            heading = chapter_heading(first.text)
            title = heading.title if heading is not None else first.text
            blocks.remove(first)
        chapters.append(Chapter(title=title, blocks=blocks))
    page_headings = document.xpath(f"//body//h1[not({_SITE_FURNITURE})]")
    work_title = (text_of(page_headings[0]) or None) if len(page_headings) == 1 else None
    doubts = [f"Each of the page's {len(articles)} <article> elements was read as a chapter."]
    doubts += _left_out_doubt(short, "they were too short to be chapters")
    return Outline(title=work_title, preface=[], chapters=chapters, doubts=doubts)


def _outline(document: lxml.html.HtmlElement) -> Outline:
    articles = document.xpath("//article[not(ancestor::article)]")
    longest = max((len(text_of(article)) for article in articles), default=0)
    substantial = [
        a
        for a in articles
        if len(text_of(a)) >= _SUBSTANTIAL_CHARS and len(text_of(a)) >= _SUBSTANTIAL_SHARE * longest
    ]
    if len(substantial) > 1:
        short = [a for a in articles if a not in substantial]
        return _article_outline(document, substantial, short)
    containers = document.xpath("//article|//main|//*[@role='main']")
    container = max(containers, key=lambda c: len(text_of(c))) if containers else document.find("body")
    if container is None:
        container = document
    blocks = html_blocks(container)
    if not any(block.text for block in blocks):
        raise ParseError("the page holds no text")
    outline = split_chapters(blocks)
    related = set(container.iterancestors()) | set(container.iterdescendants()) | {container}
    outline.doubts += _left_out_doubt(
        [a for a in articles if a not in related], "only the longest part of the page was read"
    )
    return outline


class GenericHtmlParser:
    name = "html"
    surest = 0.3
    description = "any HTML page: its article, main or body text, headings as chapters"

    def sniff(self, source: SourceFile) -> float:
        head = source.head(8192)
        if not looks_like_text(head):
            return 0.0
        return 0.3 if _HTML_START.search(head) else 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text = source.text()
        try:
            document = parse_document(text)
        except ValueError as error:
            raise ParseError(str(error)) from None
        outline = _outline(document)
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
