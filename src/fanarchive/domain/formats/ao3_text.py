"""An AO3 work page (entire-work or one-chapter view) copied as text: one paragraph per line, no
blank lines, AO3's own labels on lines of their own.

Chapters are found from their `Chapter Text` marker (`Work Text:` for a one-shot), walking back to
the `Chapter N: Title` heading above it, so a line of prose that happens to read `Chapter 3` is
never taken for a heading. A chapter's end notes are its last `Notes:` block; after the last
chapter that block is the chapter's when the chapter announced end notes, the work's when the
work did, and otherwise the chapter's, with a doubt."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from fanarchive.domain.formats._ao3_fields import STAT_FIELD, number_from_one, read_stats
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.limits import whole_number
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.tags import (
    TagKind,
    kind_for_label,
    official_category,
    official_rating,
    official_warning,
)
from fanarchive.domain.text import count_words, decode_bytes, lines_to_html, normalise_indentation
from fanarchive.domain.work import ParsedChapter, ParsedWork, RelatedWork, SeriesRef, Source

_HEADING = re.compile(r"^Chapter (\d+)(?:: (.*))?$")
_CHAPTER_TEXT = "Chapter Text"
_WORK_TEXT = "Work Text:"
_SEE_END_CHAPTER = re.compile(r"^\(See the end of the chapter for (?:more )?notes\.\)$")
_SEE_END_WORK = re.compile(
    r"^\(See the end of the work for (?:more )?notes(?: and other works inspired by this one)?\.\)$"
)
_TRAILERS = ("Series this work belongs to:", "Works inspired by this one:")
_HEADER_LABELS = re.compile(
    r"^(Rating|Archive Warnings?|Categor(?:y|ies)|Fandoms?|Relationships?|Characters?|Additional Tags|"
    r"Language|Series|Collections?|Stats):\s*(.*)$"
)


@dataclass
class _Blocks:
    """Labelled blocks (`Summary:`, `Notes:`) of a preface or a chapter head."""

    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    see_end: bool = False


def _html(lines: list[str]) -> str | None:
    return sanitize_html(lines_to_html(lines)) or None


def _read_blocks(lines: list[str], end_marker: re.Pattern[str]) -> tuple[_Blocks, list[str]]:
    """Labelled blocks at the top of `lines`; returns them and the lines before the first label."""
    blocks = _Blocks()
    before: list[str] = []
    current: list[str] | None = None
    for line in lines:
        if line == "Summary:":
            current = blocks.summary
        elif line == "Notes:":
            current = blocks.notes
        elif end_marker.match(line):
            blocks.see_end = True
        elif current is None:
            before.append(line)
        else:
            current.append(line)
    return blocks, before


def _split_trailers(lines: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    trailers: dict[str, list[str]] = {}
    for index, line in enumerate(lines):
        if line in _TRAILERS:
            current = line
            trailers[current] = []
            for rest in lines[index + 1 :]:
                if rest in _TRAILERS:
                    current = rest
                    trailers[current] = []
                else:
                    trailers[current].append(rest)
            return lines[:index], trailers
    return lines, trailers


def _add_header_tags(work: ParsedWork, label: str, values: list[str]) -> None:
    kind = kind_for_label(label)
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    if kind is None:
        return
    official = {
        TagKind.RATING: official_rating,
        TagKind.WARNING: official_warning,
        TagKind.CATEGORY: official_category,
    }
    for name in names:
        check = official.get(kind)
        work.add_tag(kind, (check(name) if check else None) or name)


def _read_header(work: ParsedWork, lines: list[str]) -> list[str]:
    """AO3's metadata block (`Rating:` ... `Stats:`), labels alone or with their values; returns the
    lines after it (title, byline, summary, notes)."""
    index = 0
    fields: dict[str, list[str]] = {}
    current: str | None = None
    while index < len(lines):
        match = _HEADER_LABELS.match(lines[index])
        if match:
            current = match.group(1)
            fields.setdefault(current, [])
            if match.group(2):
                fields[current].append(match.group(2))
        elif (current is not None and current != "Stats" and not fields[current]) or (
            current == "Stats" and STAT_FIELD.search(lines[index])
        ):
            fields[current].append(lines[index])
        else:
            break
        index += 1
    for label, values in fields.items():
        if label == "Language":
            work.language = values[0] if values else None
        elif label == "Series":
            for value in values:
                found = re.match(r"^(?:Part (\d+) of )?(.+?)$", value)
                if found:
                    work.series.append(
                        SeriesRef(title=found.group(2), position=whole_number(found.group(1) or "") or None)
                    )
        elif label == "Stats":
            read_stats(work, " ".join(values))
        elif label.startswith("Collection"):
            work.metadata["collections"] = values
        else:
            _add_header_tags(work, label, values)
    return lines[index:]


class AO3TextParser:
    name = "ao3-text"
    surest = 0.9
    description = "an AO3 work page copied as text (entire work or one chapter)"

    def sniff(self, source: SourceFile) -> float:
        head = source.head_text(65536)
        # Either marker line is in the head as text: without one, the head need not be split.
        if _WORK_TEXT not in head and _CHAPTER_TEXT not in head:
            return 0.0
        lines = {line.strip() for line in head.splitlines()}
        if _WORK_TEXT in lines:
            return 0.85
        if _CHAPTER_TEXT in lines and any(_HEADING.match(line) for line in lines):
            return 0.9
        return 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text, _encoding = decode_bytes(source.data)
        lines = [normalise_indentation(line).rstrip() for line in text.replace("\r\n", "\n").split("\n")]
        lines = [line for line in lines if line.strip()]
        markers = [i for i, line in enumerate(lines) if line in (_CHAPTER_TEXT, _WORK_TEXT)]
        if not markers:
            raise ParseError("no `Chapter Text` or `Work Text:` line: not an AO3 page copied as text")
        work = ParsedWork(title="", source=Source(format=self.name, site="archiveofourown.org"))
        starts = [
            self._heading_above(lines, marker, previous)
            for marker, previous in zip(markers, [-1, *markers[:-1]], strict=True)
        ]
        preface = lines[: starts[0]]
        work_see_end = self._read_preface(work, preface, PurePath(source.name).stem)
        bodies: list[tuple[int, list[str]]] = []
        for position, (start, marker) in enumerate(zip(starts, markers, strict=True)):
            end = starts[position + 1] if position + 1 < len(starts) else len(lines)
            bodies.append((start, lines[marker + 1 : end]))
        last_lines, trailers = _split_trailers(bodies[-1][1])
        bodies[-1] = (bodies[-1][0], last_lines)
        self._read_trailers(work, trailers)
        for position, ((start, body), marker) in enumerate(zip(bodies, markers, strict=True)):
            last = position == len(bodies) - 1
            work.chapters.append(self._chapter(work, lines, start, marker, body, last, work_see_end))
        number_from_one(work)
        if not work.chapters_expected and work.status == "complete":
            work.chapters_expected = len(work.chapters)
        return [work]

    @staticmethod
    def _heading_above(lines: list[str], marker: int, previous_marker: int) -> int:
        if lines[marker] == _WORK_TEXT:
            return marker
        for index in range(marker - 1, previous_marker, -1):
            if _HEADING.match(lines[index]):
                return index
        raise ParseError(f"`Chapter Text` on line {marker + 1} has no `Chapter N` heading above it")

    def _read_preface(self, work: ParsedWork, preface: list[str], stem: str) -> bool:
        rest = _read_header(work, preface)
        blocks, before = _read_blocks(rest, _SEE_END_WORK)
        if before:
            work.title = before[0]
            if len(before) > 1:
                work.authors = [
                    name.strip() for name in re.sub(r"^by\s+", "", before[1]).split(",") if name.strip()
                ]
            if len(before) > 2:
                work.metadata["preface_lines"] = before[2:]
        else:
            work.title = stem.replace("_", " ")
            work.doubts.append("The page has no title line; the title was taken from the file name.")
        if not work.authors:
            work.doubts.append("The page names no author.")
        work.summary = _html(blocks.summary)
        work.notes = _html(blocks.notes)
        return blocks.see_end

    @staticmethod
    def _read_trailers(work: ParsedWork, trailers: dict[str, list[str]]) -> None:
        for line in trailers.get("Series this work belongs to:", []):
            found = re.match(r"^(?:Part (\d+) of )?(.+?)$", line)
            if found and not any(s.title == found.group(2) for s in work.series):
                work.series.append(
                    SeriesRef(title=found.group(2), position=whole_number(found.group(1) or "") or None)
                )
        for line in trailers.get("Works inspired by this one:", []):
            title, _, author = line.partition(" by ")
            work.related.append(
                RelatedWork("inspired", title.strip(), authors=[author.strip()] if author else [])
            )

    @staticmethod
    def _chapter(
        work: ParsedWork,
        lines: list[str],
        start: int,
        marker: int,
        body: list[str],
        last: bool,
        work_see_end: bool,
    ) -> ParsedChapter:
        number, title = len(work.chapters) + 1, None
        heading = _HEADING.match(lines[start])
        if heading:
            number, title = int(heading.group(1)), heading.group(2)
        head, _ = _read_blocks(lines[start + 1 : marker], _SEE_END_CHAPTER)
        notes_at = max((i for i, line in enumerate(body) if line == "Notes:"), default=None)
        end_notes: str | None = None
        if notes_at is not None:
            end_lines = body[notes_at + 1 :]
            body = body[:notes_at]
            if last and not head.see_end and work_see_end:
                work.end_notes = _html(end_lines)
            else:
                end_notes = _html(end_lines)
                if last and not head.see_end:
                    work.doubts.append(
                        "The notes after the last chapter were read as that chapter's end notes; they may be the work's."
                    )
        html = sanitize_html(lines_to_html(body))
        return ParsedChapter(
            number=number,
            title=title or None,
            summary=_html(head.summary),
            notes=_html(head.notes),
            end_notes=end_notes,
            html=html,
            words=count_words(html),
        )


PARSERS = [AO3TextParser()]
