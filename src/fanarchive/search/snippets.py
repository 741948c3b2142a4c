"""Highlighted HTML passages, shared by the backends so every one renders snippets alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from fanarchive.search.analysis import analyze

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


def best_chapter(chapters: Sequence[str], matches: Sequence[tuple[list[str], bool]]) -> int | None:
    """Index of the chapter a snippet should come from: the one holding the most of the query's
    phrases (as phrases) and then of its distinct words; None when no chapter holds any of them.

    `matches` are (analysed words, is_phrase) pairs. Both backends choose with this, so a phrase
    whose words are spread over other chapters never sends the reader to the wrong chapter."""
    wanted = {word for words, _phrase in matches for word in words}
    if not wanted:
        return None
    # Cheap first pass: only chapters that contain a query word as text are analysed.
    raw = [word for word in wanted if word.isascii()]
    candidates = [i for i, text in enumerate(chapters) if any(word in text.casefold() for word in raw)]
    if not candidates or len(raw) < len(wanted):
        candidates = list(range(len(chapters)))
    best: tuple[int, int, int] | None = None  # (phrases, distinct words, -index)
    for index in candidates:
        tokens = analyze(chapters[index])
        present = set(tokens)
        phrases = sum(
            1 for words, phrase in matches if phrase and len(words) > 1 and _contains(tokens, words)
        )
        distinct = len(wanted & present)
        if distinct and (best is None or (phrases, distinct, -index) > best):
            best = (phrases, distinct, -index)
    return None if best is None else -best[2]


def _contains(tokens: list[str], phrase: list[str]) -> bool:
    first, size = phrase[0], len(phrase)
    return any(tokens[i : i + size] == phrase for i, token in enumerate(tokens) if token == first)
