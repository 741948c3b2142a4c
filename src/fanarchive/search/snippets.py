"""Highlighted HTML passages, shared by the backends so every one renders snippets alike."""

from __future__ import annotations

import functools
import re
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
    phrases = [words for words, phrase in matches if phrase and len(words) > 1]
    ascii_query = (
        _ascii_query(frozenset(wanted), tuple(map(tuple, phrases)))
        if all(word.isascii() for word in wanted)
        else None
    )
    best: tuple[int, int, int] | None = None  # (phrases, distinct words, -index)
    for index, text in enumerate(chapters):
        if ascii_query is not None and not text.isascii():
            text = _spaced_punctuation(text)
        if ascii_query is not None and text.isascii():
            found, distinct = ascii_query.score(text.lower())
        else:  # accents fold away in analysis ("café" is "cafe"): only analysing the words is exact
            tokens = analyze(text)
            found = sum(1 for words in phrases if _contains(tokens, words))
            distinct = len(wanted & set(tokens))
        if (found, distinct) == (len(phrases), len(wanted)):
            return index  # nothing later can beat it: ties go to the earlier chapter
        if distinct and (best is None or (found, distinct, -index) > best):
            best = (found, distinct, -index)
    return None if best is None else -best[2]


# Punctuation of typeset prose ("curly" quotes, dashes, ellipses, no-break spaces): separators
# for the analyser as a space is, so a chapter whose only non-ASCII characters are these can take
# the ASCII path once they are spaces. Fiction's dialogue is in such quotes: without this, nearly
# every chapter of real prose was analysed word by word in Python (issue 16's honest corpus).
_SEPARATORS = "\u201c\u201d\u2018\u2019\u2014\u2013\u2026\u00a0\u00ab\u00bb"


def _spaced_punctuation(text: str) -> str:
    for mark in _SEPARATORS:
        if mark in text:  # a C-speed search; most marks are absent from most chapters
            text = text.replace(mark, " ")
    return text


@functools.lru_cache(maxsize=64)
def _ascii_query(wanted: frozenset[str], phrases: tuple[tuple[str, ...], ...]) -> _AsciiQuery:
    # A search page asks for every work's chapter with the same query: its patterns, once.
    return _AsciiQuery(set(wanted), [list(words) for words in phrases])


class _AsciiQuery:
    """The query's words and phrases as regular expressions, exact for ASCII text: there a token
    is a run of [A-Za-z0-9] and folding is lower-casing, so matching in C gives what analysing
    every word of a long chapter in Python would (the cost of a search page's snippets), tokens of
    40 bytes and more aside, which the analyser drops and a phrase here does not step over."""

    _EDGE_AFTER, _GAP = "(?![A-Za-z0-9])", "[^A-Za-z0-9]+"

    def __init__(self, wanted: set[str], phrases: list[list[str]]) -> None:
        # Matched against the lower-cased text: plain patterns are faster than IGNORECASE ones.
        self.words = [(w, self._pattern([w])) for w in wanted]
        self.phrases = [(words[0], self._pattern(words)) for words in phrases]

    @classmethod
    def _pattern(cls, words: list[str]) -> re.Pattern[str]:
        # The first word starts the pattern and its left edge is checked after it, by a lookbehind
        # over the word and the character before: a pattern that starts with a literal is searched
        # for as one (a leading lookbehind made the engine try every position, 10-40x slower).
        first = re.escape(words[0])
        rest = "".join(cls._GAP + re.escape(word) for word in words[1:])
        return re.compile(f"{first}(?<![A-Za-z0-9]{first}){rest}{cls._EDGE_AFTER}")

    def score(self, lowered: str) -> tuple[int, int]:
        """(phrases found, distinct words found) in lower-cased ASCII text; a substring test first,
        since most words of most chapters are simply absent."""
        found = sum(1 for first, phrase in self.phrases if first in lowered and phrase.search(lowered))
        return found, sum(1 for word, pattern in self.words if word in lowered and pattern.search(lowered))


def _contains(tokens: list[str], phrase: list[str]) -> bool:
    first, size = phrase[0], len(phrase)
    return any(tokens[i : i + size] == phrase for i, token in enumerate(tokens) if token == first)
