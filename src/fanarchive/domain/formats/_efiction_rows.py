"""Values as an eFiction database holds them, turned into what a work needs: id lists, dates, and
chapter text that may be old plain text with line breaks or HTML from its editor."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

from fanarchive.domain.formats._mysql_dump import Value
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.text import normalise_newlines

_BLOCK_TAG = re.compile(r"<(?:p|br|div|blockquote|h[1-6]|ul|ol|table|hr|center|pre)\b", re.I)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})", re.ASCII)
# ASCII digits only: str.isdigit() also says yes to `²` and `٣`, which int() refuses or misreads.
_INTEGER = re.compile(r"-?[0-9]+")


def text(value: Value) -> str:
    return "" if value is None else str(value)


def number(value: Value) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    value = text(value).strip()
    return int(value) if _INTEGER.fullmatch(value) else None


def id_list(value: Value) -> list[int]:
    """eFiction keeps many-valued fields as comma lists of ids (`catid`, `charid`, `classes`)."""
    return [
        int(part)
        for part in re.split(r"[,\s]+", text(value))
        if part.isascii() and part.isdigit() and int(part) > 0
    ]


def iso_date(value: Value) -> str | None:
    """Older eFiction stores unix timestamps, MySQL 4 `TIMESTAMP(14)` columns `YYYYMMDDhhmmss` (or
    `TIMESTAMP(8)` `YYYYMMDD`), 3.x `datetime` strings; empty and zero dates mean none. A value that is
    set but is no date raises ValueError, so that the caller can say so on the one work it spoils."""
    raw = text(value).strip()
    if isinstance(value, float):
        raw = str(int(value))
    if raw.isascii() and raw.isdigit():
        if int(raw) <= 0:
            return None
        if len(raw) in (8, 14):
            return _checked(int(raw[:4]), int(raw[4:6]), int(raw[6:8]), raw)
        try:
            return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"{raw} is out of range as a unix time") from None
    if not raw or raw.startswith("0000"):
        return None
    match = _DATETIME.match(raw)
    if match is None:
        raise ValueError(f"{raw!r} is not a date")
    year, month, day = (int(part) for part in match.groups())
    if month == 0:
        return None  # MySQL's partial zero dates (`2005-00-00`) say the date was never set
    return _checked(year, month, day, raw)


def _checked(year: int, month: int, day: int, raw: str) -> str:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"{raw!r} is not a date") from None


def is_yes(value: Value) -> bool:
    return text(value).strip().lower() in ("1", "y", "yes", "true")


def story_html(value: Value) -> str:
    """Chapter text, notes or a summary as sanitised HTML. Text with block markup is HTML; anything
    else is eFiction's older plain text (perhaps with <i> or <b> in it), whose line breaks are the
    only structure: blank lines part paragraphs, and text with no blank line at all has one
    paragraph per line."""
    raw = normalise_newlines(text(value)).strip()
    if not raw:
        return ""
    if _BLOCK_TAG.search(raw):
        return sanitize_html(raw).strip()
    if not _ANY_TAG.search(raw):
        raw = htmllib.escape(raw, quote=False)
    blocks = re.split(r"\n[ \t\u00a0]*\n", raw)
    if len(blocks) == 1:
        blocks = raw.split("\n")
    paragraphs = []
    for block in blocks:
        lines = [line.strip(" \t\u00a0") for line in block.split("\n")]
        if joined := "<br />".join(line for line in lines if line):
            paragraphs.append(f"<p>{joined}</p>")
    return sanitize_html("\n".join(paragraphs)).strip()
