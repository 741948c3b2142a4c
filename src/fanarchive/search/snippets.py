"""Highlighted HTML passages, shared by the backends so every one renders snippets alike."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

ELLIPSIS = "…"
SNIPPET_CHARS = 240


def render(fragment: str, highlights: Iterable[tuple[int, int]], before: bool, after: bool) -> str:
    """Escape `fragment`, wrap the character ranges in <mark>, add ellipses where text was cut."""
    cut = len(fragment) - len(fragment.lstrip())
    highlights = [(s - cut, e - cut) for s, e in highlights]
    fragment = fragment.strip()
    parts: list[str] = [ELLIPSIS] if before else []
    pos = 0
    for start, end in sorted(highlights):
        if start < pos or end <= start:
            continue
        parts += [escape(fragment[pos:start]), "<mark>", escape(fragment[start:end]), "</mark>"]
        pos = end
    parts.append(escape(fragment[pos:]))
    if after:
        parts.append(ELLIPSIS)
    return "".join(parts)


def byte_to_char_ranges(text: str, ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """UTF-8 byte offsets (what tantivy reports) to str offsets."""
    data = text.encode("utf-8")
    return [
        (len(data[:s].decode("utf-8", "ignore")), len(data[:e].decode("utf-8", "ignore"))) for s, e in ranges
    ]
