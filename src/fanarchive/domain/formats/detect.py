"""Auto-detection: the parser whose sniff is surest wins."""

from __future__ import annotations

import zipfile
import zlib

import lxml.etree

from fanarchive.domain.formats.base import ParseError, Parser, SourceFile
from fanarchive.domain.formats.plain import looks_like_text
from fanarchive.domain.formats.registry import all_parsers, parser_named
from fanarchive.domain.limits import DEFAULT_LIMITS, LimitExceeded, ReaderLimits
from fanarchive.domain.text import DecodeError
from fanarchive.domain.work import ParsedWork

# Below this, a guess is worse than saying we do not know the format.
MIN_CONFIDENCE = 0.2


def detect(source: SourceFile) -> Parser:
    """The reader with the highest score, the first by name among equals. Readers are asked surest
    first, and once the best so far is one that no reader left could beat or come before, the rest
    are not asked: an AO3 download is not sniffed by a dozen readers whose best is less sure."""
    if not source.data.strip():
        raise ParseError("empty file")
    best: tuple[float, str, Parser] | None = None
    for parser in sorted(all_parsers(), key=lambda parser: (-parser.surest, parser.name)):
        if best is not None and (parser.surest, best[1]) < (best[0], parser.name):
            break  # this reader and every one after it can at best tie and lose on its name
        score = parser.sniff(source)
        if best is None or (-score, parser.name) < (-best[0], best[1]):
            best = (score, parser.name, parser)
    if best is None or best[0] < MIN_CONFIDENCE:
        if not looks_like_text(source.head(4096)):
            raise ParseError(
                "unknown format: binary data that no parser recognises (not text, not a known e-book or document)"
            )
        raise ParseError("unknown format: no parser recognises this file")
    return best[2]


# What a reader's libraries raise on input they cannot take (a number past Python's 4,300-digit
# guard, a date out of range, nesting past the interpreter's stack, a damaged zip or XML part).
# Readers refuse what they know of by name; this is the net under them, so that no upload ever
# surfaces as a crash: the importer records a ParseError against the file and goes on.
_UNREADABLE = (
    ValueError,
    OverflowError,
    RecursionError,
    UnicodeError,
    lxml.etree.LxmlError,
    SyntaxError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
)


def check_input(source: SourceFile, limits: ReaderLimits = DEFAULT_LIMITS) -> None:
    """Refuse, before any reader looks at it, a file larger than any work or with a line no text
    has: regex and parsers that are linear on real files can be quadratic on one such line."""
    if len(source.data) > limits.max_input_bytes:
        raise LimitExceeded(
            "max_input_bytes", limits.max_input_bytes, f"the file is {len(source.data):,} bytes"
        )
    if source.data.startswith(b"PK\x03\x04"):
        return  # a zip (EPUB, DOCX, ODT): its members are checked as they are unpacked
    if len(source.data) <= limits.max_line_chars:
        return  # no line of it can be longer: not split into lines to find out
    longest = max(map(len, source.data.splitlines()), default=0)
    if longest > limits.max_line_chars:
        raise LimitExceeded("max_line_chars", limits.max_line_chars, f"a line is {longest:,} bytes long")


def parse_source(
    source: SourceFile, format_name: str | None = None, limits: ReaderLimits = DEFAULT_LIMITS
) -> list[ParsedWork]:
    check_input(source, limits)
    parser = parser_named(format_name) if format_name else detect(source)
    try:
        works = parser.parse(source)
    except ParseError:
        raise
    except DecodeError as error:  # the text could not be decoded: a bad file, said like any other
        raise ParseError(f"{error} (read as {parser.name})") from None
    except RecursionError:
        raise LimitExceeded(
            "max_depth", limits.max_depth, f"nested too deeply (read as {parser.name})"
        ) from None
    except _UNREADABLE as error:
        raise ParseError(
            f"unreadable as {parser.name} ({type(error).__name__}: {str(error)[:200]})"
        ) from None
    if not works:
        raise ParseError(f"no work found (read as {parser.name})")
    # Every chapter becomes rows, index documents and download pages: a file that splits into more
    # than any serial has is refused whole rather than stored half.
    if any(len(work.chapters) > limits.max_chapters for work in works):
        raise LimitExceeded(
            "max_chapters", limits.max_chapters, f"a work has too many chapters (read as {parser.name})"
        )
    return works
