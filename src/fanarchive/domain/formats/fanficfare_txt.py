"""FanFicFare's TXT writer: CRLF lines wrapped at 78 columns; `TITLE`, `by AUTHOR`, the title page as
`Label: value` lines (long values wrap onto following lines), `TABLE OF CONTENTS` when there are
several chapters, then each chapter under its title indented by a tab (expanded to spaces), its text
as html2text wrote it (Markdown: `_em_`, `**strong**`, `* * *` rules), and `End file.` last."""

from __future__ import annotations

import re

import markdown as markdown_lib

from fanarchive.domain.formats._fanficfare_meta import KNOWN_LABELS, apply_entries, chapter_title
from fanarchive.domain.formats._markup import join_soft_breaks
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.text import count_words, normalise_newlines, text_to_html
from fanarchive.domain.work import ParsedChapter, ParsedWork

_ENTRY = re.compile(r"^(?P<label>[A-Z][A-Za-z0-9 ]{0,30}):(?:\s+(?P<value>.*))?$")
_BYLINE = re.compile(r"^by (?P<authors>\S.*)$")
_INDENTED = re.compile(r"^(?:\t| {4,})\S")
_MARKUP = re.compile(r"<(?:p|div|br|span|em|i|b|strong|blockquote)\b[^>]*>", re.I)
_TOC = "TABLE OF CONTENTS"
_END = "End file."


def _run(lines: list[str], start: int) -> int:
    """The end of the run of non-blank lines starting at `start`."""
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return end


def _joined(lines: list[str]) -> str:
    """Lines FanFicFare wrapped at 78 columns, as the one line they were."""
    return " ".join(" ".join(lines).split())


def _next_filled(lines: list[str], start: int) -> int:
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start


def _opening(lines: list[str]) -> tuple[str, list[str], int] | None:
    """Title and authors, either possibly wrapped over several lines, and the index after them."""
    first = _next_filled(lines, 0)
    if first >= min(len(lines), 40):
        return None
    title_end = next(
        (i for i in range(first + 1, _run(lines, first)) if _BYLINE.match(lines[i].strip())),
        _run(lines, first),
    )
    by = _next_filled(lines, title_end)
    if by >= len(lines) or by - title_end > 3 or not _BYLINE.match(lines[by].strip()):
        return None
    byline = _BYLINE.match(_joined(lines[by : _run(lines, by)]))
    assert byline is not None  # its first line matched
    authors = [a.strip() for a in re.split(r",\s*|\s+&\s+", byline.group("authors")) if a.strip()]
    return _joined(lines[first:title_end]), authors, _run(lines, by)


def _starts_chapter(lines: list[str], index: int) -> bool:
    """FanFicFare's chapter start: a title indented by a tab (expanded to spaces) after a blank line."""
    return bool(_INDENTED.match(lines[index])) and index > 0 and not lines[index - 1].strip()


def _entries(lines: list[str], start: int) -> tuple[list[tuple[str, str]], int]:
    """`Label: value` entries up to the table of contents or the first chapter. A value runs on
    over wrapped lines and, for the summary, over blank lines between its paragraphs; paragraphs
    come back separated by a blank line."""
    found: list[tuple[str, list[str]]] = []
    index = _next_filled(lines, start)
    while index < len(lines):
        line = lines[index].strip()
        if line == _TOC or _starts_chapter(lines, index):
            break
        match = _ENTRY.match(line)
        if match and (match.group("label").lower() in KNOWN_LABELS or not found):
            found.append((match.group("label"), [(match.group("value") or "").strip()]))
        elif found:
            found[-1][1].append(line)
        elif line:
            break
        index += 1
    entries = []
    for label, value_lines in found:
        paragraphs = re.split(r"\n\s*\n", "\n".join(value_lines).strip())
        entries.append((label, "\n\n".join(_joined(p.split("\n")) for p in paragraphs if p.strip())))
    return entries, index


class FanficfareTxtParser:
    name = "fanficfare-txt"
    surest = 0.9
    description = "FanFicFare's TXT download: wrapped, CRLF, a title page of Label: value lines"

    def sniff(self, source: SourceFile) -> float:
        head = normalise_newlines(source.head_text(16384)).split("\n")
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
                # keep_summary_html:true writes the site's summary HTML as it is.
                html = value if _MARKUP.search(value) else text_to_html(value)
                work.summary = sanitize_html(html) or None
        toc = self._toc(lines, index)
        headings = self._headings(lines, index, toc)
        if not headings:
            raise ParseError("no chapter title line (indented by a tab) was found after the title page")
        for position, (_at, text_at, raw_title) in enumerate(headings, start=1):
            end = headings[position][0] if position < len(headings) else len(lines)
            body = lines[text_at:end]
            if position == len(headings):
                body = self._without_end(body)
            html = self._html(body)
            work.chapters.append(
                ParsedChapter(
                    number=position,
                    title=chapter_title(raw_title, position),
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
        """The titles under TABLE OF CONTENTS: one per run of lines (a long one wraps), up to the
        first chapter's indented title."""
        if start >= len(lines) or lines[start].strip() != _TOC:
            return []
        titles = []
        index = _next_filled(lines, start + 1)
        while index < len(lines) and not _starts_chapter(lines, index):
            end = _run(lines, index)
            titles.append(_joined(lines[index:end]))
            index = _next_filled(lines, end)
        return titles

    @staticmethod
    def _headings(lines: list[str], start: int, toc: list[str]) -> list[tuple[int, int, str]]:
        """(first line, first line after the title, title) of each chapter: indented titles after a
        blank line, wrapped onto the lines below; with a table of contents, only the titles it
        lists, in its order, so that an indented line in the text is never taken for one."""
        headings = []
        expected = list(toc)
        for index in range(start, len(lines)):
            if not _starts_chapter(lines, index):
                continue
            end = _run(lines, index)
            title = _joined(lines[index:end])
            if toc:
                if not expected or title != expected[0]:
                    continue
                expected.pop(0)
            elif index < 2 or lines[index - 2].strip():
                continue  # without a table of contents, ask for FanFicFare's two blank lines
            headings.append((index, end, title))
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
