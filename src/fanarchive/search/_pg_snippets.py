"""A snippet from the chapters PostgreSQL found the query's words in, cut as the reference
backend cuts it (memory_backend), except that a passage holding one of the query's phrases wins
over the first stray word: "burns the letter" shows the letter burning, not the first "the"."""

from __future__ import annotations

from fanarchive.search import snippets
from fanarchive.search.analysis import token_spans
from fanarchive.search.documents import Snippet


def snippet(chapters: list[tuple[int, str]], matches: list[tuple[list[str], bool]]) -> Snippet | None:
    """`chapters` are (number, text) in reading order; `matches` (analysed words, is_phrase)."""
    index = snippets.best_chapter([text for _number, text in chapters], matches)
    if index is None:
        return None
    number, text = chapters[index]
    wanted = {word for words, _phrase in matches for word in words}
    every = token_spans(text)
    spans = [span for span in every if span[0] in wanted]
    start = max(_anchor(every, matches, spans[0][1]) - snippets.SNIPPET_CHARS // 3, 0)
    end = min(start + snippets.SNIPPET_CHARS, len(text))
    # Cut at whitespace, never inside a word.
    while 0 < start < len(text) and not text[start - 1].isspace():
        start += 1
    while start < end < len(text) and not text[end].isspace():
        end -= 1
    marks = [(s - start, e - start) for _token, s, e in spans if s >= start and e <= end]
    return Snippet(number, snippets.render(text[start:end], marks, start > 0, end < len(text)))


def _anchor(spans: list[tuple[str, int, int]], matches: list[tuple[list[str], bool]], first: int) -> int:
    """Where the first of the query's phrases starts in the text, else `first`."""
    tokens = [token for token, _start, _end in spans]
    starts = []
    for words, _phrase in matches:
        if len(words) > 1:
            size = len(words)
            at = next((i for i in range(len(tokens) - size + 1) if tokens[i : i + size] == words), None)
            if at is not None:
                starts.append(spans[at][1])
    return min(starts, default=first)
