"""The null backend keeps its promise: writes are accepted and nothing is ever found."""

from __future__ import annotations

from collections.abc import Iterator

from fanarchive.domain.query import SearchQuery
from fanarchive.search.backend import FACET_KINDS, SearchBackend
from fanarchive.search.documents import SearchDocument, SearchResult
from fanarchive.search.null_backend import NullBackend

from .conftest import TAGS, corpus


def test_accepts_writes_and_finds_nothing() -> None:
    backend = NullBackend()
    assert isinstance(backend, SearchBackend)
    consumed: list[int] = []

    def documents() -> Iterator[SearchDocument]:
        for doc in corpus():
            consumed.append(doc.work_id)
            yield doc

    backend.index(documents())
    assert consumed == [1, 2, 3, 4, 5, 6, 7, 8]  # a generator of documents is read to the end
    backend.index_tags(TAGS)
    backend.delete([1])
    backend.delete_tags([1000])
    backend.commit()
    assert backend.count() == 0
    assert backend.search(SearchQuery(text="dragon", viewer_can_see_restricted=True)) == SearchResult([], 0)
    assert backend.search(SearchQuery()).total == 0
    assert backend.autocomplete_tags("harry") == []
    backend.clear()
    backend.commit()
    backend.close()


def test_facets_are_empty_lists_when_asked_and_the_parser_message_stays() -> None:
    result = NullBackend().search(SearchQuery(text='knight "snow', facets=True))
    assert result.facets == {kind: [] for kind in FACET_KINDS}
    assert result.message is not None and "quotation mark" in result.message
    assert NullBackend().search(SearchQuery(text="knight")).message is None


def test_the_null_setting_makes_one() -> None:
    from fanarchive.archive.indexing.service import make_backend

    assert isinstance(make_backend("null"), NullBackend)
