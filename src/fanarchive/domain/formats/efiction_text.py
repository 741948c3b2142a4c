"""An eFiction archive's printable story page (viewstory.php?action=printable) copied as text.

The page starts `TITLE by AUTHOR`, then labelled fields (`Summary:`, `Categories:` and
`Characters:` sharing a line, one line per classification such as `Genres:` and `Warnings:`, and the
`Chapters: … Completed: … Word count: … Read: … Published: … Updated: …` line). Each chapter starts
`TITLE by AUTHOR` or `Chapter N: TITLE by AUTHOR`; `Author's Notes:` runs straight into the text
with no blank line, so the notes are the lines before the first paragraph break less the last
one, which is the text's first paragraph; `End Notes:` runs to the next chapter heading."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fanarchive.domain.formats._efiction_fields import apply_fields
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.text import (
    count_words,
    lines_to_html,
    normalise_indentation,
    text_to_html,
)
from fanarchive.domain.work import ParsedChapter, ParsedWork, Source

_TITLE = re.compile(r"^(?P<title>.+) by (?P<author>[^,]+(?:, [^,]+)*)$")
_KNOWN_LABELS = (
    r"Summary|Rated|Rating|Categories|Characters|Genres?|Warnings?|Pairings?|Series|Challenges|"
    r"Story Notes|Chapters|Completed|Word count|Read|Reviews|Published|Updated"
)
# Known labels anywhere (several share a line); an archive's own classification only at line start.
_FIELD = re.compile(rf"(?:^|\s)({_KNOWN_LABELS}):(?:\s|$)|^([A-Z][A-Za-z ]{{2,20}}):(?:\s|$)")


@dataclass
class _Heading:
    line: int
    number: int
    title: str | None


def _fields(lines: list[str]) -> dict[str, str]:
    """Label -> value over the header lines; several labels may share a line."""
    fields: dict[str, str] = {}
    for line in lines:
        matches = list(_FIELD.finditer(line))
        if not matches or matches[0].start() > 0:
            if fields:  # a wrapped summary or notes line continues the last field
                last = next(reversed(fields))
                fields[last] = (fields[last] + "\n" + line).strip()
            continue
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
            fields[match.group(1) or match.group(2)] = line[match.end() : end].strip()
    return fields


def _starts_a_line(text: str, words: str) -> bool:
    """Whether `^words` matches in `text` under re.M."""
    return text.startswith(words) or "\n" + words in text


class EfictionTextParser:
    name = "efiction-text"
    surest = 0.95
    description = "an eFiction printable story page copied as text"

    def sniff(self, source: SourceFile) -> float:
        head = source.head_text(16384)
        # A `^` regex is tried at every position of the head; the plain search for its words at a
        # line's start (where re.M's `^` matches: the start, or after "\n") rules most files out.
        if _starts_a_line(head, "Chapters: ") and re.search(
            r"^Chapters: \d+ Completed: \w+ Word count: \d+", head, re.M
        ):
            return 0.95
        if _starts_a_line(head, "Summary: ") and _starts_a_line(head, "Categories: "):
            return 0.6
        return 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text = source.text()
        lines = [normalise_indentation(line).rstrip() for line in text.replace("\r\n", "\n").split("\n")]
        while lines and not lines[0]:
            lines.pop(0)
        title_line = _TITLE.match(lines[0]) if lines else None
        if title_line is None:
            raise ParseError("the first line is not `TITLE by AUTHOR`: not an eFiction printable page")
        author = title_line.group("author")
        headings = self._headings(lines, author)
        if not headings:
            raise ParseError(f"no chapter heading ending `by {author}` was found")
        work = ParsedWork(
            title=title_line.group("title"),
            authors=[a.strip() for a in author.split(",")],
            source=Source(format=self.name),
        )
        apply_fields(work, _fields([line for line in lines[1 : headings[0].line] if line]))
        for index, heading in enumerate(headings):
            end = headings[index + 1].line if index + 1 < len(headings) else len(lines)
            work.chapters.append(self._chapter(work, heading, lines[heading.line + 1 : end]))
        return [work]

    @staticmethod
    def _headings(lines: list[str], author: str) -> list[_Heading]:
        pattern = re.compile(rf"^(?:Chapter (\d+): )?(.*) by {re.escape(author)}$")
        headings: list[_Heading] = []
        in_end_notes = False
        for index, line in enumerate(lines[1:], start=1):
            match = pattern.match(line)
            # A numbered heading is certain; an unnumbered one only where a paragraph could start.
            after_break = (
                not lines[index - 1] or in_end_notes or (match is not None and match.group(1) is not None)
            )
            if match and after_break:
                number = int(match.group(1)) if match.group(1) else len(headings) + 1
                if number == len(headings) + 1:
                    headings.append(_Heading(index, number, match.group(2) or None))
                    in_end_notes = False
                    continue
            if line == "End Notes:":
                in_end_notes = True
            elif not line:
                in_end_notes = False
        return headings

    @staticmethod
    def _chapter(work: ParsedWork, heading: _Heading, body: list[str]) -> ParsedChapter:
        notes: list[str] = []
        end_notes: list[str] = []
        if "End Notes:" in body:
            at = len(body) - 1 - body[::-1].index("End Notes:")
            end_notes, body = [line for line in body[at + 1 :] if line], body[:at]
        if body and body[0] == "Author's Notes:":
            first_break = next((i for i, line in enumerate(body) if not line), len(body))
            block = body[1:first_break]
            if len(block) == 1:
                work.doubts.append(
                    f"Chapter {heading.number}'s author's notes run into a paragraph break; one line was read as notes."
                )
                notes, body = block, body[first_break:]
            elif block:
                notes, body = block[:-1], [block[-1], *body[first_break:]]
            else:  # the heading stands alone before a paragraph break: no notes to read
                body = body[first_break:]
        html = sanitize_html(text_to_html("\n".join(body)).replace("<br />", "</p>\n<p>"))
        return ParsedChapter(
            number=heading.number,
            title=heading.title,
            notes=sanitize_html(lines_to_html(notes)) or None,
            end_notes=sanitize_html(lines_to_html(end_notes)) or None,
            html=html,
            words=count_words(html),
        )


PARSERS = [EfictionTextParser()]
