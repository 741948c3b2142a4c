"""Small rules every backend applies the same way (sort keys, suggestion ranking)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fanarchive.domain.query import Sort
from fanarchive.search.documents import MAX_WORK_ID, SearchDocument, TagEntry, TagSuggestion

_LOW32 = 2**32 - 1


def pack(value: int, work_id: int) -> int:
    """A u64 sort key: the value, ties broken by work id in the same direction."""
    return (min(max(value, 0), _LOW32) << 32) | work_id


def pack_range(low: int | None, high: int | None) -> tuple[int | None, int | None]:
    """The packed-key range holding exactly the values low..high (inclusive)."""
    return (
        None if low is None else pack(low, 0),
        None if high is None else pack(high, _LOW32),
    )


def day(date: dt.date) -> int:
    return date.toordinal()


def numeric_sort_value(doc: SearchDocument, sort: Sort) -> int:
    values = {
        Sort.UPDATED: day(doc.updated),
        Sort.PUBLISHED: day(doc.published),
        Sort.KUDOS: doc.kudos,
        Sort.HITS: doc.hits,
        Sort.COMMENTS: doc.comments,
        Sort.BOOKMARKS: doc.bookmarks,
        Sort.WORDS: doc.words,
    }
    return values[sort]


NUMERIC_SORTS = (
    Sort.UPDATED,
    Sort.PUBLISHED,
    Sort.KUDOS,
    Sort.HITS,
    Sort.COMMENTS,
    Sort.BOOKMARKS,
    Sort.WORDS,
)


def text_sort_key(key: str, work_id: int) -> str:
    # Zero-padded id after a separator below every printable character: ties break by id.
    return f"{key}\x00{work_id:010d}"


def check_work_id(work_id: int) -> None:
    if not 0 < work_id <= MAX_WORK_ID:
        raise ValueError(f"work id {work_id} is outside 1..{MAX_WORK_ID}")


def words_match(tokens: Sequence[str], typed: Sequence[str]) -> tuple[bool, bool]:
    """(matches anywhere, matches at the start) for typed words, the last one a prefix."""
    n = len(typed)
    starts = []
    for i in range(len(tokens) - n + 1):
        window = tokens[i : i + n]
        if list(window[:-1]) == list(typed[:-1]) and window[-1].startswith(typed[-1]):
            starts.append(i)
    return bool(starts), 0 in starts


def rank_suggestions(
    candidates: list[tuple[TagEntry, list[str]]], typed: list[str], limit: int
) -> list[TagSuggestion]:
    """Rank (entry, name tokens) that matched: exact name, name prefix, infix; uses; name."""
    scored = []
    for entry, tokens in candidates:
        anywhere, at_start = words_match(tokens, typed)
        if not anywhere:
            continue
        group = 0 if tokens == typed else (1 if at_start else 2)
        scored.append(((group, -entry.uses, entry.name.casefold(), entry.tag_id), entry))
    scored.sort(key=lambda pair: pair[0])
    seen: set[int] = set()
    out: list[TagSuggestion] = []
    for _, entry in scored:
        canonical_id = entry.canonical_id if entry.canonical_id is not None else entry.tag_id
        if canonical_id in seen:
            continue
        seen.add(canonical_id)
        out.append(
            TagSuggestion(
                entry.tag_id, entry.name, entry.kind, canonical_id, entry.canonical_name or entry.name
            )
        )
        if len(out) >= limit:
            break
    return out
