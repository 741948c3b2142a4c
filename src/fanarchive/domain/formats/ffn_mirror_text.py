"""A FanFiction.Net mirror's chapter page copied as text.

Line one is `TITLE @handle`, line two the chapter's title, then the chapter text, and last the whole
chapter index flattened onto one line (see _ffn_index_line). The chapter shown is the index entry
whose title is line two. The index's word figures are the mirror's: they stay in the index, and the
chapter's words are counted here. Mirrors give no story id; one is made of the handle and the title
so that the pages of one story still merge (domain/merge.py)."""

from __future__ import annotations

import re

from fanarchive.domain.formats._ffn_index_line import IndexLineError, looks_like_index, read_index_line
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.text import (
    count_words,
    lines_to_html,
    normalise_indentation,
)
from fanarchive.domain.work import IndexEntry, ParsedChapter, ParsedWork, Source

_FIRST_LINE = re.compile(r"^(?P<title>\S.*?)\s+@(?P<handle>[\w.-]+)$")
_CHAPTER_PREFIX = re.compile(r"^chapter\s+\d+\s*[:.\-–—]\s*", re.I)


def _key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _shown_entry(index: list[IndexEntry], heading: str) -> tuple[IndexEntry | None, bool]:
    """The entry titled `heading` and whether the match is certain (one exact match)."""
    exact = [entry for entry in index if _key(entry.title) == _key(heading)]
    if exact:
        return exact[0], len(exact) == 1
    # "Chapter 3: Storm" on the page, "Storm" in the index (or the other way round).
    bare = _key(_CHAPTER_PREFIX.sub("", heading))
    loose = [entry for entry in index if _key(_CHAPTER_PREFIX.sub("", entry.title)) == bare]
    return (loose[0] if loose else None), False


class FfnMirrorTextParser:
    name = "ffn-mirror-text"
    surest = 0.9
    description = "a FanFiction.Net mirror's chapter page copied as text (TITLE @handle, index on one line)"

    def sniff(self, source: SourceFile) -> float:
        head = source.head_text(4096).lstrip("\ufeff")
        first = next((line.strip() for line in head.splitlines() if line.strip()), "")
        # The `@` first: the pattern's lazy title is tried at every length of a long first line.
        if "@" not in first or not _FIRST_LINE.match(first):
            return 0.0
        tail = source.data[-65536:].decode("utf-8", "ignore").rstrip()
        if looks_like_index(tail.rsplit("\n", 1)[-1].strip()):
            return 0.9
        # An index of many chapters can outrun the tail read here; the first line alone is weak.
        return 0.5 if len(source.data) > 65536 and "\n" not in tail else 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text = source.text()
        lines = [normalise_indentation(line).rstrip() for line in text.replace("\r\n", "\n").split("\n")]
        lines = [line for line in lines if line.strip()]
        if len(lines) < 3:
            raise ParseError(
                "too short for a mirror page: expected `TITLE @handle`, a chapter title, text and an index"
            )
        first = _FIRST_LINE.match(lines[0].strip())
        if first is None:
            raise ParseError("the first line is not `TITLE @handle`")
        if not lines[-1].strip().startswith("1. "):
            raise ParseError("the last line is not the chapter index (`1. TITLE WORDS VOTES REVIEWS 2. …`)")
        try:
            reading = read_index_line(lines[-1])
        except IndexLineError as error:
            raise ParseError(str(error)) from None
        title, handle = first.group("title"), first.group("handle")
        heading = lines[1].strip()
        work = ParsedWork(
            title=title,
            authors=[handle],
            index=reading.entries,
            source=Source(format=self.name, id=f"@{handle}/{title}"),
        )
        work.stats["chapters"] = len(reading.entries)
        work.metadata["handle"] = f"@{handle}"
        work.doubts.append(
            "The mirror gives no story id; one was made from the author's handle and the title."
        )
        for number in reading.ambiguous:
            work.doubts.append(
                f"The chapter index was split by its numbering; entry {number}'s title "
                f"{reading.entries[number - 1].title!r} could also be read as holding another entry."
            )
        entry, certain = _shown_entry(reading.entries, heading)
        if entry is None:
            raise ParseError(f"the chapter title on line two, {heading!r}, is not in the chapter index")
        if not certain:
            work.doubts.append(
                f"The chapter title {heading!r} matches the index only loosely or more than once; "
                f"it was read as chapter {entry.number}."
            )
        html = sanitize_html(lines_to_html(lines[2:-1]))
        work.chapters.append(
            ParsedChapter(number=entry.number, title=heading, html=html, words=count_words(html))
        )
        if len(reading.entries) == 1:
            work.index = []
        return [work]


PARSERS = [FfnMirrorTextParser()]
