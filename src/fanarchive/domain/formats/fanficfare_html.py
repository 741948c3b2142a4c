"""FanFicFare's HTML writer: `<h1><a href=URL>TITLE</a> by AUTHOR</h1>` (or `<h3>`), the title page as
`<b>Label:</b> value<br />` lines or `<tr><td><b>Label:</b></td><td>value</td></tr>` rows, an optional
table of contents, then each chapter as `<a name="section0001"><h2>TITLE</h2></a>` and its text."""

from __future__ import annotations

import re

from fanarchive.domain.formats._fanficfare_meta import apply_entries, chapter_title, plain_entries
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html, sanitize_optional
from fanarchive.domain.text import count_words, html_to_text
from fanarchive.domain.work import ParsedChapter, ParsedWork

_TITLE = re.compile(r"<h([13])\b[^>]*>(?P<inner>.*?)</h\1\s*>", re.S | re.I)
_SECTION = re.compile(
    r"<a\s+(?:id|name)\s*=\s*[\"']?section(?P<index>\d+)[\"']?[^>]*>\s*(?:</a>\s*)?"
    r"<h2\b[^>]*>(?P<title>.*?)</h2\s*>\s*(?:</a\s*>)?",
    re.S | re.I,
)
_TOC = re.compile(r"<a\s+name\s*=\s*[\"']?TOCTOP", re.I)
_ENTRY = re.compile(r"<b>\s*(?P<label>[^<:]{1,40}?)\s*:\s*</b>", re.I)
_WRAPPER_START = re.compile(r"^(?:\s|</td>|<td[^>]*>)+", re.I)
_WRAPPER_END = re.compile(
    r"(?:\s|<br\s*/?>|</td>|</tr>|<tr[^>]*>|<td[^>]*>|</table>|<table[^>]*>|</div>)+$", re.I
)
_END = re.compile(r"</body\s*>", re.I)


def title_and_authors(line: str) -> tuple[str, list[str]]:
    """`TITLE by AUTHOR, AUTHOR` split at its last ` by `."""
    line = " ".join(line.split())
    title, by, authors = line.rpartition(" by ")
    if not by:
        return line, []
    return title.strip(), [a.strip() for a in re.split(r",\s*|\s+&\s+", authors) if a.strip()]


class FanficfareHtmlParser:
    name = "fanficfare-html"
    surest = 0.9
    description = "FanFicFare's HTML download: title page entries and section-anchored chapters"

    def sniff(self, source: SourceFile) -> float:
        head = source.head_text(65536)
        if not _SECTION.search(head):
            return 0.0
        labelled = sum(
            1
            for m in _ENTRY.finditer(head)
            if m.group("label") in ("Packaged", "Story URL", "Publisher", "Status")
        )
        return 0.9 if labelled else 0.6

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text = source.text()
        sections = list(_SECTION.finditer(text))
        if not sections:
            raise ParseError(
                'no chapter anchors (<a name="section0001"><h2>) were found: not FanFicFare HTML'
            )
        heading = _TITLE.search(text, 0, sections[0].start())
        if heading is None:
            raise ParseError("no <h1> or <h3> title line before the first chapter")
        title, authors = title_and_authors(html_to_text(heading.group("inner")))
        work = ParsedWork(title=title, authors=authors)
        page_end = (
            toc.start()
            if (toc := _TOC.search(text, heading.end(), sections[0].start()))
            else sections[0].start()
        )
        entries = self._entries(text[heading.end() : page_end])
        link = re.search(r"<a\s+href=[\"']([^\"']+)", heading.group("inner"))
        apply_entries(work, plain_entries(entries), self.name, url=link.group(1) if link else None)
        for label, value in entries:
            if label == "Summary":
                # keep_summary_html:false gives bare text; with it, the site's paragraphs.
                block = re.search(r"<(?:p|div|blockquote)\b", value, re.I)
                work.summary = sanitize_optional(value if block else f"<p>{value}</p>")
        body_end = _END.search(text, sections[-1].end())
        for position, section in enumerate(sections):
            end = (
                sections[position + 1].start()
                if position + 1 < len(sections)
                else (body_end.start() if body_end else len(text))
            )
            html = sanitize_html(text[section.end() : end]).strip()
            raw_title = html_to_text(section.group("title"))
            work.chapters.append(
                ParsedChapter(
                    number=position + 1,
                    title=chapter_title(raw_title, position + 1),
                    html=html,
                    words=count_words(html),
                )
            )
        if not authors:
            work.doubts.append("The title line names no author.")
        return [work]

    @staticmethod
    def _entries(region: str) -> list[tuple[str, str]]:
        found = list(_ENTRY.finditer(region))
        entries = []
        for index, match in enumerate(found):
            end = found[index + 1].start() if index + 1 < len(found) else len(region)
            value = _WRAPPER_END.sub("", _WRAPPER_START.sub("", region[match.end() : end]))
            entries.append((match.group("label").strip(), value))
        return entries


PARSERS = [FanficfareHtmlParser()]
