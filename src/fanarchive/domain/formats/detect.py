"""Auto-detection: the parser whose sniff is surest wins."""

from __future__ import annotations

from fanarchive.domain.formats.base import ParseError, Parser, SourceFile
from fanarchive.domain.formats.plain import looks_like_text
from fanarchive.domain.formats.registry import all_parsers, parser_named
from fanarchive.domain.text import DecodeError
from fanarchive.domain.work import ParsedWork

# Below this, a guess is worse than saying we do not know the format.
MIN_CONFIDENCE = 0.2


def detect(source: SourceFile) -> Parser:
    if not source.data.strip():
        raise ParseError("empty file")
    scored = [(parser.sniff(source), parser.name, parser) for parser in all_parsers()]
    scored.sort(key=lambda item: (-item[0], item[1]))
    if not scored or scored[0][0] < MIN_CONFIDENCE:
        if not looks_like_text(source.head(4096)):
            raise ParseError(
                "unknown format: binary data that no parser recognises (not text, not a known e-book or document)"
            )
        raise ParseError("unknown format: no parser recognises this file")
    return scored[0][2]


def parse_source(source: SourceFile, format_name: str | None = None) -> list[ParsedWork]:
    parser = parser_named(format_name) if format_name else detect(source)
    try:
        works = parser.parse(source)
    except DecodeError as error:  # the text could not be decoded: a bad file, said like any other
        raise ParseError(f"{error} (read as {parser.name})") from None
    if not works:
        raise ParseError(f"no work found (read as {parser.name})")
    return works
