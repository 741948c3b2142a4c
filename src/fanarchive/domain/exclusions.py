"""A reader's saved exclusions, and how they narrow any listing's query.

They are saved once (tags, muted creators, languages, crossovers, word count bounds) and apply
to every listing, search, tag page, feed and facet count for that reader: the listing service
merges them into the query before the search backend is asked, so counts stay exact."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from fanarchive.domain.query import SearchQuery


@dataclass(frozen=True)
class SavedExclusions:
    tag_ids: tuple[int, ...] = ()  # filter (canonical or meta) tag ids: synonyms and sub tags follow
    creator_ids: tuple[int, ...] = ()  # muted accounts
    languages: tuple[str, ...] = ()
    crossovers: bool = False
    words_from: int | None = None
    words_to: int | None = None

    @property
    def empty(self) -> bool:
        return self == SavedExclusions()


def _tighter(asked: int | None, saved: int | None, pick: Callable[[int, int], int]) -> int | None:
    if asked is None or saved is None:
        return saved if asked is None else asked
    return pick(asked, saved)


def narrowed(query: SearchQuery, saved: SavedExclusions) -> SearchQuery:
    """`query` leaving out what `saved` excludes; what the query asks itself stays asked.
    A reader who excludes crossovers sees none, even on a page that asks for crossovers only."""
    if saved.empty:
        return query
    return dataclasses.replace(
        query,
        exclude_tag_ids=tuple(dict.fromkeys(query.exclude_tag_ids + saved.tag_ids)),
        exclude_creator_ids=tuple(dict.fromkeys(query.exclude_creator_ids + saved.creator_ids)),
        exclude_languages=tuple(dict.fromkeys(query.exclude_languages + saved.languages)),
        crossover=False if saved.crossovers else query.crossover,
        # Crossovers only, yet none wanted: no work at all (an empty list of works to keep).
        work_ids=() if saved.crossovers and query.crossover else query.work_ids,
        words_min=_tighter(query.words_min, saved.words_from, max),
        words_max=_tighter(query.words_max, saved.words_to, min),
    )
