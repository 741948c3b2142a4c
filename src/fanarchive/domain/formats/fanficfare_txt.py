"""FanFicFare's TXT writer: CRLF lines wrapped at 78 columns; `TITLE`, `by AUTHOR`, the title page as
`Label: value` lines (long values wrap onto following lines), `TABLE OF CONTENTS` when there are
several chapters, then each chapter under its title indented by a tab (expanded to spaces), its text
as html2text wrote it (Markdown: `_em_`, `**strong**`, `* * *` rules), and `End file.` last."""

from __future__ import annotations

import re

import markdown as markdown_lib

from fanarchive.domain.formats._fanficfare_meta import KNOWN_LABELS, apply_entries
from fanarchive.domain.formats._markup import join_soft_breaks
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.fanficfare_html import chapter_title
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.text import count_words, normalise_newlines, text_to_html
from fanarchive.domain.work import ParsedChapter, ParsedWork

_ENTRY = re.compile(r"^(?P<label>[A-Z][A-Za-z0-9 ]{0,30}):(?:\s+(?P<value>.*))?$")
_BYLINE = re.compile(r"^by (?P<authors>\S.*)$")
_INDENTED = re.compile(r"^(?:\t| {4,})\S")
_TOC = "TABLE OF CONTENTS"
_END = "End file."


def _opening(lines: list[str]) -> tuple[str, list[str], int] | None:
    """Title, authors and the index after the byline: the first two non-blank lines."""
    filled = [i for i, line in enumerate(lines[:40]) if line.strip()]
    if len(filled) < 2:
        return None
    byline = _BYLINE.match(lines[filled[1]].strip())
    if byline is None or filled[1] - filled[0] > 3:
        return None
    authors = [a.strip() for a in re.split(r",\s*|\s+&\s+", byline.group("authors")) if a.strip()]
    return lines[filled[0]].strip(), authors, filled[1] + 1


def _entries(lines: list[str], start: int) -> tuple[list[tuple[str, str]], int]:
    entries: list[tuple[str, str]] = []
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    while index < len(lines) and lines[index].strip():
        line = lines[index].strip()
        match = _ENTRY.match(line)
        if match and (match.group("label").lower() in KNOWN_LABELS or not entries):
            entries.append((match.group("label"), (match.group("value") or "").strip()))
        elif entries:  # a long value wrapped at 78 columns
            label, value = entries[-1]
            entries[-1] = (label, f"{value} {line}".strip())
        else:
            break
        index += 1
    return entries, index


class FanficfareTxtParser:
    name = "fanficfare-txt"
    description = "FanFicFare's TXT download: wrapped, CRLF, a title page of Label: value lines"

    def sniff(self, source: SourceFile) -> float:
        head = normalise_newlines(source.head(16384).decode("utf-8", "ignore")).split("\n")
        opening = _opening(head)
        if opening is None:
            return 0.0
        entries, _end = _entries(head, opening[2])
        labels = {label.lower() for label, _value in entries}
        if labels & {"packaged", "publisher", "story url"} and len(labels & KNOWN_LABELS) >= 2:
            return 0.9
        return 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text = source.text()
        lines = [line.rstrip("\n") for line in normalise_newlines(text).split("\n")]
        opening = _opening(lines)
        if opening is None:
            raise ParseError(
                "the file does not open with a title and a `by AUTHOR` line: not FanFicFare text"
            )
        title, authors, after_byline = opening
        entries, index = _entries(lines, after_byline)
        work = ParsedWork(title=title, authors=authors)
        apply_entries(work, entries, self.name)
        for label, value in entries:
            if label == "Summary" and value:
                work.summary = sanitize_html(text_to_html(value)) or None
        toc = self._toc(lines, index)
        headings = self._headings(lines, index, toc)
        if not headings:
            raise ParseError("no chapter title line (indented by a tab) was found after the title page")
        for position, at in enumerate(headings):
            end = headings[position + 1] if position + 1 < len(headings) else len(lines)
            body = lines[at + 1 : end]
            if position + 1 == len(headings):
                body = self._without_end(body)
            html = self._html(body)
            number = position + 1
            work.chapters.append(
                ParsedChapter(
                    number=number,
                    title=chapter_title(lines[at].strip(), number),
                    html=html,
                    words=count_words(html),
                )
            )
        if toc and len(toc) != len(headings):
            work.doubts.append(
                f"The table of contents lists {len(toc)} chapters; {len(headings)} were found."
            )
        return [work]

    @staticmethod
    def _toc(lines: list[str], start: int) -> list[str]:
        for index in range(start, min(len(lines), start + 20)):
            if lines[index].strip() == _TOC:
                titles = []
                for line in lines[index + 1 :]:
                    if _INDENTED.match(line):
                        break
                    if line.strip():
                        titles.append(line.strip())
                return titles
        return []

    @staticmethod
    def _headings(lines: list[str], start: int, toc: list[str]) -> list[int]:
        """Indented lines after two blank ones; with a table of contents, only the titles it lists."""
        headings = []
        expected = list(toc)
        for index in range(start, len(lines)):
            line = lines[index]
            if not _INDENTED.match(line) or index < 2 or lines[index - 1].strip() or lines[index - 2].strip():
                continue
            if expected:
                if line.strip() != expected[0]:
                    continue
                expected.pop(0)
            headings.append(index)
            if toc and not expected:
                break
        return headings

    @staticmethod
    def _without_end(body: list[str]) -> list[str]:
        filled = [i for i, line in enumerate(body) if line.strip()]
        if filled and body[filled[-1]].strip() == _END:
            return body[: filled[-1]]
        return body

    @staticmethod
    def _html(body: list[str]) -> str:
        # html2text wrote Markdown; rendering it back undoes the wrapping and keeps the emphasis.
        rendered = markdown_lib.markdown("\n".join(body).strip("\n"), output_format="html")
        return sanitize_html(join_soft_breaks(rendered)).strip()


PARSERS = [FanficfareTxtParser()]
