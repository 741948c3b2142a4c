"""How much of an untrusted file a reader will take on. Every limit here is far above what a real
work needs (a million-word novel is about 6 MB of text) and far below what would let one upload
hang the importer or take gigabytes of memory; passing one is a clean refusal, never a crash."""

from __future__ import annotations

from dataclasses import dataclass

from fanarchive.domain.formats.base import ParseError

_MB = 1024 * 1024


@dataclass(frozen=True)
class ReaderLimits:
    # The file as uploaded, before any decoding or unpacking.
    max_input_bytes: int = 64 * _MB
    # One line of text; minified HTML and one-line JSON are long lines, so this is generous.
    max_line_chars: int = 8 * _MB
    # Elements inside elements (HTML, XML), arrays and objects inside each other (JSON).
    max_depth: int = 200
    # Attributes on one element.
    max_attributes: int = 256
    # One EPUB/DOCX member unpacked, and all of them together.
    max_member_bytes: int = 32 * _MB
    max_unpacked_bytes: int = 96 * _MB
    # A member that unpacks to more than this many times its packed size (past 1 MB) is a bomb.
    max_compression_ratio: int = 200
    # Rows one SQL dump may hold, across its tables.
    max_sql_rows: int = 100_000
    # Chapters in one work.
    max_chapters: int = 5_000
    # Digits in one number read from the file: Python itself refuses past 4,300, and converting
    # one is quadratic in its length. Ranges (a timestamp, a year) are checked where used.
    max_integer_digits: int = 100
    # `](` link openings in one Markdown file; Python-Markdown scans ahead from each one.
    max_markdown_links: int = 5_000


DEFAULT_LIMITS = ReaderLimits()


class LimitExceeded(ParseError):
    """The file passes one of the reader limits: the message names the limit and its value."""

    def __init__(self, limit: str, value: int, what: str = "") -> None:
        self.limit = limit
        self.value = value
        detail = f"{what}: " if what else ""
        super().__init__(f"{detail}over the reader limit {limit}={value}")


def bounded_int(digits: str, limits: ReaderLimits = DEFAULT_LIMITS) -> int:
    """int() of a run of digits read from a file, refusing more digits than any count or date has,
    before Python's own 4,300-digit guard or an OverflowError in date arithmetic can fire."""
    stripped = digits.strip().lstrip("+-").lstrip("0")
    if len(stripped) > limits.max_integer_digits:
        raise LimitExceeded(
            "max_integer_digits", limits.max_integer_digits, "a number in the file is too long"
        )
    return int(digits)


def whole_number(text: str, limits: ReaderLimits = DEFAULT_LIMITS) -> int | None:
    """A count as a page prints it (`1,204`), or None for anything else: regex `\\d` also matches
    digits of other scripts and the pages' `?`, which int() takes differently or not at all."""
    digits = text.replace(",", "").strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) > limits.max_integer_digits:
        return None
    return int(digits)
