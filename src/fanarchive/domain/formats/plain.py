"""Plain text: the reader of last resort. Paragraphs from blank lines, one per line, or rejoined from
hard-wrapped lines; chapters from heading lines (`Chapter One`, `Prologue`, `Part II`); a header of
`Title:`/`Author:` lines or a `TITLE` / `by AUTHOR` opening; else the file name is the title."""

from __future__ import annotations

import json
import re

from fanarchive.domain.formats._chapters import chapter_heading, split_chapters
from fanarchive.domain.formats._documents import HEADER_FIELD, apply_header, build_work
from fanarchive.domain.formats._plaintext import text_blocks
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.text import normalise_newlines
from fanarchive.domain.work import ParsedWork

_BYLINE = re.compile(r"^\s*by:?\s+(?P<author>\S.{0,80})$", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NOT_CONTROL = bytes(byte for byte in range(256) if not _CONTROL.match(chr(byte)))


def looks_like_text(head: bytes) -> bool:
    """Bytes a person could have typed: no NULs (unless UTF-16), hardly any control characters."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if not head.strip() or b"\x00" in head:
        return False
    # Latin-1 maps every byte, so only C0 controls (never typed) count against the bytes, whatever
    # the real encoding: counted as the bytes left once every other byte is deleted.
    return len(head.translate(None, _NOT_CONTROL)) <= len(head) * 0.01


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def read_header(lines: list[str]) -> tuple[list[tuple[str, str]], int]:
    """`Label: value` lines at the very top (before the first blank line), and where the text resumes."""
    fields: list[tuple[str, str]] = []
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    start = index
    while index < len(lines) and (match := HEADER_FIELD.match(lines[index])):
        fields.append((match.group("label"), match.group("value").strip()))
        index += 1
    if not fields or (index < len(lines) and lines[index].strip()):
        return [], start
    labels = {label.lower() for label, _value in fields}
    # A lone `Note: …` line is prose; a header names the work.
    if not labels & {"title", "author", "by", "summary", "fandom", "rating"}:
        return [], start
    return fields, index


class PlainTextParser:
    name = "plain-text"
    surest = 0.25
    description = (
        "plain text: chapters from heading lines, paragraphs from blank lines or rejoined wrapped lines"
    )

    def sniff(self, source: SourceFile) -> float:
        head = source.head(4096)
        # JSON that no JSON reader took is data, not a story to import with its braces as prose.
        if head.lstrip()[:1] in (b"{", b"[") and _is_json(source.data):
            return 0.0
        return 0.25 if looks_like_text(head) else 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        if not looks_like_text(source.head(4096)):
            raise ParseError("binary data, not text")
        text = source.text()
        lines = normalise_newlines(text).split("\n")
        work = ParsedWork(title="")
        fields, start = read_header(lines)
        titled = apply_header(work, fields)
        lines = lines[start:]
        if not titled:
            lines = self._opening(work, lines)
        blocks, width = text_blocks("\n".join(lines))
        if not any(block.text.strip() for block in blocks):
            raise ParseError("the file holds no text")
        outline = split_chapters(blocks)
        outline.title = None  # plain text marks no title; only the header or opening names one
        work = build_work(source, outline, self.name, work)
        if width:
            work.doubts.append(f"The text was hard-wrapped at {width} columns; its lines were rejoined.")
        return [work]

    @staticmethod
    def _opening(work: ParsedWork, lines: list[str]) -> list[str]:
        """`TITLE` then `by AUTHOR` as the first two non-blank lines names both."""
        filled = [i for i, line in enumerate(lines[:20]) if line.strip()]
        if len(filled) < 3:
            return lines
        first, second = filled[0], filled[1]
        byline = _BYLINE.match(lines[second])
        title = lines[first].strip()
        if byline and len(title) <= 120 and chapter_heading(title) is None:
            work.title = title
            work.authors = [a.strip() for a in re.split(r",|&| and ", byline.group("author")) if a.strip()]
            return lines[second + 1 :]
        return lines


PARSERS = [PlainTextParser()]
