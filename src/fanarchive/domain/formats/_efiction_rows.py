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
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def text(value: Value) -> str:
    return "" if value is None else str(value)


def number(value: Value) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    value = text(value).strip()
    return int(value) if value.lstrip("-").isdigit() else None


def id_list(value: Value) -> list[int]:
    """eFiction keeps many-valued fields as comma lists of ids (`catid`, `charid`, `classes`)."""
    return [int(part) for part in re.split(r"[,\s]+", text(value)) if part.isdigit() and int(part) > 0]


def iso_date(value: Value) -> str | None:
    """Older eFiction stores unix timestamps, 3.x `datetime` strings; zero dates mean none."""
    if isinstance(value, int | float) or text(value).strip().isdigit():
        seconds = int(float(text(value)))
        if seconds <= 0:
            return None
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date().isoformat()
    match = _DATETIME.match(text(value).strip())
    if match is None or match.group(1) == "0000" or match.group(2) == "00":
        return None
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}"


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
