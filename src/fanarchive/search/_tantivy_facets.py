"""Facet counts for the tantivy backend: terms aggregations, run beside the page's search, cached.

Each facet kind is a u64 fast field of tag ids; tantivy's terms aggregation counts them over the
whole result set, exactly (every bucket a segment has is kept; when a result says counts may
still be off, the kind is counted again with no cap at all). The names come from the
`facet_names` terms ("kind:id\x1fname"), looked up for the ids that can reach the top and kept
until the index changes. Ties break by "name\x1fid" in code point order, as in every backend.
The kinds are split in two groups that run on two threads (tantivy releases the GIL), while the
calling thread fetches the page; a small cache per index state serves paging and re-sorting. A
query costly to evaluate per document is counted in one pass with its page (`count_with`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import tantivy

from fanarchive.search._tantivy_schema import facet_name_prefix
from fanarchive.search.backend import FACET_KINDS
from fanarchive.search.documents import FacetCount

FACET_GROUPS: tuple[tuple[str, ...], ...] = (
    ("rating", "warning", "category", "fandom"),
    ("relationship", "character", "freeform"),
)
# Buckets kept per segment: above the number of tags a kind has, so the first pass is exact. Over
# u64 ids keeping them all costs little (no dictionary lookups).
SEGMENT_SIZE = 65536
ALL_BUCKETS = 2**31 - 1
CACHE_SIZE = 256

Facets = dict[str, list[FacetCount]]


class FacetNames:
    """Names of facet ids, read from the `facet_names` terms of one index state."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, int], str] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._names.clear()

    def name(self, searcher: tantivy.Searcher, kind: str, tag_id: int) -> str:
        with self._lock:
            known = self._names.get((kind, tag_id))
        if known is not None:
            return known
        prefix = facet_name_prefix(kind, tag_id)
        terms = searcher.terms_with_prefix("facet_names", prefix)
        if len(terms) > 1:
            # A renamed tag: the old name lingers in segments until their deleted documents are
            # merged away. The name live documents carry is the one.
            terms = searcher.terms_with_prefix("facet_names", prefix, filter_query=tantivy.Query.all_query())
        name = max(terms, key=lambda term: term[1])[0][len(prefix) :] if terms else ""
        with self._lock:
            self._names[(kind, tag_id)] = name
        return name


def facet_spec(kinds: tuple[str, ...], size: int, segment_size: int) -> dict[str, object]:
    """Terms aggregations counting `kinds`, keyed by kind."""
    return {
        kind: {"terms": {"field": f"f_{kind}", "size": size, "segment_size": max(segment_size, size)}}
        for kind in kinds
    }


def first_pass(kinds: tuple[str, ...], limit: int) -> dict[str, object]:
    # A few more buckets than shown, so ties at the cut can be put in name order.
    return facet_spec(kinds, limit * 2 + 10, SEGMENT_SIZE)


def count_facets(
    searcher: tantivy.Searcher, query: tantivy.Query, kinds: tuple[str, ...], limit: int, names: FacetNames
) -> Facets:
    if limit <= 0:
        return {kind: [] for kind in kinds}
    return read_facets(
        searcher, query, kinds, limit, names, searcher.aggregate(query, first_pass(kinds, limit))
    )


def read_facets(
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    kinds: tuple[str, ...],
    limit: int,
    names: FacetNames,
    answer: dict[str, Any],
) -> Facets:
    """The facets of `answer` (to `first_pass`), counted again where they may be off: when a
    result says counts may still be off, or when the last bucket fetched still ties with the
    cut (there may be more: ask for them all)."""
    fetch = limit * 2 + 10
    inexact = tuple(k for k in kinds if answer.get(k, {}).get("doc_count_error_upper_bound", 0))
    if inexact:
        answer = {**answer, **searcher.aggregate(query, facet_spec(inexact, fetch, ALL_BUCKETS))}
    facets: Facets = {}
    for kind in kinds:
        buckets = [(int(b["doc_count"]), int(b["key"])) for b in answer.get(kind, {}).get("buckets", [])]
        if len(buckets) > limit and len(buckets) == fetch and buckets[-1][0] == buckets[limit - 1][0]:
            again = searcher.aggregate(query, facet_spec((kind,), ALL_BUCKETS, ALL_BUCKETS))
            buckets = [(int(b["doc_count"]), int(b["key"])) for b in again.get(kind, {}).get("buckets", [])]
        cut = buckets[limit - 1][0] if len(buckets) >= limit else 0
        named = [
            FacetCount(tag_id, names.name(searcher, kind, tag_id), count)
            for count, tag_id in buckets
            if count >= cut
        ]
        named.sort(key=lambda f: (-f.count, f"{f.name}\x1f{f.tag_id}"))
        facets[kind] = named[:limit]
    return facets


class FacetCounter:
    def __init__(self, threads: int = 2) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="facets") if threads > 1 else None
        self._cache: OrderedDict[Hashable, Facets] = OrderedDict()
        self._lock = threading.Lock()
        self.names = FacetNames()

    def clear(self) -> None:
        """Forget counts and names of an older index state."""
        self.clear_counts()
        self.names.clear()

    def clear_counts(self) -> None:
        with self._lock:
            self._cache.clear()

    def has(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._cache

    def count_with(
        self,
        key: Hashable,
        searcher: tantivy.Searcher,
        query: tantivy.Query,
        limit: int,
        extra: dict[str, object],
    ) -> tuple[Facets, dict[str, Any]]:
        """The facets and the `extra` aggregations (keys other than the kinds) in one pass over
        the matches, on this thread: for a query that costs much to evaluate per document, such
        as a reader's many saved exclusions, once instead of once per group and once more for the
        page. Returns the facets and the whole answer."""
        answer = searcher.aggregate(query, {**first_pass(FACET_KINDS, max(limit, 1)), **extra})
        if limit <= 0:
            return self._store(key, {kind: [] for kind in FACET_KINDS}), answer
        facets = read_facets(searcher, query, FACET_KINDS, limit, self.names, answer)
        return self._store(key, facets), answer

    def start(
        self, key: Hashable, searcher: tantivy.Searcher, query: tantivy.Query, limit: int
    ) -> Callable[[], Facets]:
        """Begin counting; the returned function waits for and returns the counts."""
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is not None:
            return lambda: _copy(cached)
        if self._pool is None:
            facets = count_facets(searcher, query, FACET_KINDS, limit, self.names)
            return lambda: self._store(key, facets)
        futures: list[Future[Facets]] = [
            self._pool.submit(count_facets, searcher, query, kinds, limit, self.names)
            for kinds in FACET_GROUPS
        ]

        def finish() -> Facets:
            merged: Facets = {}
            for future in futures:
                merged.update(future.result())
            return self._store(key, {kind: merged[kind] for kind in FACET_KINDS})

        return finish

    def _store(self, key: Hashable, facets: Facets) -> Facets:
        with self._lock:
            self._cache[key] = facets
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return _copy(facets)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def _copy(facets: Facets) -> Facets:
    return {kind: list(counts) for kind, counts in facets.items()}
