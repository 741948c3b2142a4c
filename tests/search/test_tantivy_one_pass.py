"""A listing with a reader's many saved exclusions is answered by the tantivy backend in one
aggregation pass (page, total and facets together), exactly as the brute-force reference answers
it; other listings and searches keep the usual path."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from fanarchive.domain.exclusions import SavedExclusions, narrowed
from fanarchive.domain.query import SearchQuery, Sort
from fanarchive.search import _tantivy_facets, _tantivy_one_pass
from fanarchive.search.documents import SearchDocument
from fanarchive.search.memory_backend import MemoryBackend
from fanarchive.search.tantivy_backend import TantivyBackend

from .test_equivalence import random_docs

CREATORS = {"ann": 101, "bob": 102, "cat": 103}
# Like issue 14's reader: many excluded tags (most absent from this archive) and muted creators.
READER = SavedExclusions(
    tag_ids=(2, 13, 34, *range(200, 216)), creator_ids=(102, *range(900, 905)), languages=("fr",)
)
LISTINGS = [
    SearchQuery(),
    SearchQuery(sort=Sort.KUDOS),
    SearchQuery(sort=Sort.HITS, descending=False, page=2, per_page=7),
    SearchQuery(include_tag_ids=(21,), sort=Sort.WORDS, viewer_can_see_restricted=True),
    SearchQuery(any_tag_ids=((3, 4), (31, 32)), complete=True, sort=Sort.PUBLISHED),
    SearchQuery(words_min=1000, sort=Sort.COMMENTS, per_page=100),
    SearchQuery(page=40, per_page=20, sort=Sort.BOOKMARKS),  # past the last page: no ids, a total
]
USUAL = [
    SearchQuery(text="dragon", sort=Sort.KUDOS),  # relevance and snippets need the search
    SearchQuery(sort=Sort.TITLE),  # top_hits cannot sort on a text column
    SearchQuery(page=60, per_page=20),  # deeper than one pass keeps hits for
]


def _docs(seed: int) -> list[SearchDocument]:
    return [dataclasses.replace(d, creator_ids=[CREATORS[d.authors[0]]]) for d in random_docs(seed, 150)]


@pytest.fixture
def one_pass_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    count_with = _tantivy_facets.FacetCounter.count_with

    def counting(self: _tantivy_facets.FacetCounter, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return count_with(self, *args, **kwargs)

    monkeypatch.setattr(_tantivy_facets.FacetCounter, "count_with", counting)
    return calls


@pytest.mark.parametrize(("seed", "segment_size"), [(1, None), (2, None), (3, 2)])
def test_one_pass_answers_as_the_reference(
    tmp_path: Path,
    seed: int,
    segment_size: int | None,
    one_pass_calls: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    facet_limit = 10
    if segment_size is not None:
        # Segments keep fewer buckets than a kind has tags: the counts must be made exact again.
        monkeypatch.setattr(_tantivy_facets, "SEGMENT_SIZE", segment_size)
        facet_limit = segment_size
    docs = _docs(seed)
    memory, tantivy = MemoryBackend(), TantivyBackend(tmp_path)
    for backend in (memory, tantivy):
        for start in range(0, len(docs), 40):  # several segments
            backend.index(docs[start : start + 40])
            backend.commit()
        backend.delete([5, 6, 7])
        backend.commit()
    for query in LISTINGS + USUAL:
        asked = narrowed(dataclasses.replace(query, facets=True, facet_limit=facet_limit), READER)
        calls = len(one_pass_calls)
        tantivy._facet_counter.clear_counts()  # counted afresh, as a new listing is
        expected, got = memory.search(asked), tantivy.search(asked)
        assert len(one_pass_calls) - calls == (query in LISTINGS), query
        assert (got.total, got.facets) == (expected.total, expected.facets), query
        if query == SearchQuery():
            assert expected.total > 0 and expected.facets["rating"]
        if query.effective_sort is Sort.RELEVANCE:
            assert set(got.ids) == set(expected.ids), query
        else:
            assert got.ids == expected.ids, query
    tantivy.close()


def test_few_exclusions_and_cached_facets_keep_the_usual_path(
    tmp_path: Path, one_pass_calls: list[int]
) -> None:
    tantivy = TantivyBackend(tmp_path)
    tantivy.index(_docs(1))
    tantivy.commit()
    few = SearchQuery(facets=True, exclude_tag_ids=tuple(range(1, _tantivy_one_pass.MIN_EXCLUSIONS)))
    tantivy.search(few)
    assert one_pass_calls == []
    many = narrowed(SearchQuery(facets=True, sort=Sort.KUDOS), READER)
    first = tantivy.search(many)
    # The next page reuses the facets counted: only the page is searched for.
    second = tantivy.search(dataclasses.replace(many, page=2))
    assert len(one_pass_calls) == 1
    assert second.facets == first.facets and second.total == first.total
    assert not set(second.ids) & set(first.ids)
    tantivy.close()
