"""Facet counts for the tantivy backend: terms aggregations, run beside the page's search, cached.

Each facet kind is a raw text fast field holding "name\\x1fid" per tag; tantivy's terms
aggregation counts them over the whole result set (exact: when a result says counts may be
off, because too many buckets were cut per segment, it is recounted keeping every bucket).
The kinds are split in two groups that run on two threads (tantivy releases the GIL), while
the calling thread fetches the page; a small cache per index state serves paging and re-sorting.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor

import tantivy

from fanarchive.search.backend import FACET_KINDS
from fanarchive.search.documents import FacetCount

FACET_GROUPS: tuple[tuple[str, ...], ...] = (
    ("rating", "warning", "category", "fandom"),
    ("relationship", "character", "freeform"),
)
# Buckets kept per segment. When a segment has more tags of a kind than this, its counts may be cut
# and the whole kind is counted again keeping every bucket, a second pass over the results: at 2,000,
# half the listings of a 1M-work archive with 20,000 freeforms paid that pass (ours/raw 2.9x); above
# the number of tags a kind has, the first pass is exact and costs about the same.
SEGMENT_SIZE = 65536
CACHE_SIZE = 256

Facets = dict[str, list[FacetCount]]


def count_facets(
    searcher: tantivy.Searcher, query: tantivy.Query, kinds: tuple[str, ...], limit: int
) -> Facets:
    def spec(segment_size: int) -> dict[str, object]:
        return {
            kind: {"terms": {"field": f"f_{kind}", "size": limit, "segment_size": segment_size}}
            for kind in kinds
        }

    answer = searcher.aggregate(query, spec(max(SEGMENT_SIZE, limit)))
    if any(answer.get(kind, {}).get("doc_count_error_upper_bound", 0) for kind in kinds):
        answer = searcher.aggregate(query, spec(2**31 - 1))
    facets: Facets = {}
    for kind in kinds:
        facets[kind] = []
        for bucket in answer.get(kind, {}).get("buckets", []):
            name, _, tag_id = str(bucket["key"]).rpartition("\x1f")
            facets[kind].append(FacetCount(int(tag_id), name, int(bucket["doc_count"])))
    return facets


class FacetCounter:
    def __init__(self, threads: int = 2) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="facets") if threads > 1 else None
        self._cache: OrderedDict[Hashable, Facets] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()

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
            facets = count_facets(searcher, query, FACET_KINDS, limit)
            return lambda: self._store(key, facets)
        futures: list[Future[Facets]] = [
            self._pool.submit(count_facets, searcher, query, kinds, limit) for kinds in FACET_GROUPS
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
