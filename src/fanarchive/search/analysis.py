"""Python twin of the tantivy analyzer (simple tokenizer, long-token removal, lowercase, ASCII folding).

The memory backend matches with it; the tantivy backend uses tantivy's own analyzer, which this
mirrors closely enough for the contract suite (exotic folds may differ).
"""

from __future__ import annotations

import re
import unicodedata

MAX_TOKEN_BYTES = 40
_TOKEN = re.compile(r"[^\W_]+")
_SPECIAL_FOLDS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
    }
)


def fold(token: str) -> str:
    if token.isascii():
        return token  # nothing to fold (the special folds and combining marks are all non-ASCII)
    token = token.translate(_SPECIAL_FOLDS)
    decomposed = unicodedata.normalize("NFKD", token)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped if stripped.isascii() else unicodedata.normalize("NFC", stripped)


def analyze(text: str) -> list[str]:
    if text.isascii():
        # Most text: lower-casing keeps every offset and byte length, and folding has nothing to do.
        return [token for token in _TOKEN.findall(text.lower()) if len(token) < MAX_TOKEN_BYTES]
    return [
        fold(m.group().lower()) for m in _TOKEN.finditer(text) if len(m.group().encode()) < MAX_TOKEN_BYTES
    ]


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) in str offsets, for highlighting."""
    return [
        (fold(m.group().lower()), m.start(), m.end())
        for m in _TOKEN.finditer(text)
        if len(m.group().encode()) < MAX_TOKEN_BYTES
    ]
