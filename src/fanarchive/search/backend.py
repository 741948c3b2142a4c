"""The one interface every search engine behind fanarchive's listings and search implements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from fanarchive.domain.query import SearchQuery
from fanarchive.domain.visibility import Visibility
from fanarchive.search.documents import SearchDocument, SearchResult, TagEntry, TagSuggestion

# Field boosts over BM25 scores: title and summary rank above a match deep in the text.
FIELD_BOOSTS: dict[str, float] = {
    "title": 3.0,
    "author": 2.0,
    "summary": 2.0,
    "tag": 1.5,
    "notes": 1.0,
    "text": 1.0,
}
# Which kinds facets are counted for, in display order.
FACET_KINDS: tuple[str, ...] = (
    "rating",
    "warning",
    "category",
    "fandom",
    "relationship",
    "character",
    "freeform",
)


class IndexBusy(RuntimeError):
    """Another process holds the index's one writer (a running `fanarchive indexer` or `serve`)."""


@runtime_checkable
class SearchBackend(Protocol):
    """Writes (index, delete, clear, tags) become visible to searches only after commit().

    Guarantees every backend gives (tests/search/test_contract.py): a work whose flags are among
    query.visibility.excluded_flags() is never returned (drafts never; hidden works only when
    query.viewer_can_see_hidden; restricted ones only when query.viewer_can_see_restricted); total is exact;
    facets count the whole result set, not the page; indexing an id again replaces it.
    """

    def index(self, docs: Iterable[SearchDocument]) -> None: ...

    def delete(self, work_ids: Iterable[int]) -> None: ...

    def clear(self) -> None:
        """Remove every work and tag."""

    def commit(self) -> None:
        """Make the writes so far visible to searches (of this and other processes)."""

    def count(self) -> int:
        """Number of works indexed, whatever their visibility."""

    def search(self, query: SearchQuery) -> SearchResult: ...

    def index_tags(self, tags: Iterable[TagEntry]) -> None: ...

    def delete_tags(self, tag_ids: Iterable[int]) -> None: ...

    def autocomplete_tags(
        self, text: str, limit: int = 10, kind: str | None = None, visibility: Visibility | None = None
    ) -> list[TagSuggestion]:
        """Tags whose name has words starting with the typed words, in order (prefix and infix),
        among those `visibility` (None: an anonymous reader's) may see: an entry's audiences meet
        visibility.audiences().

        Ranked: exact name, then names starting with the text, then the rest; by uses within
        each; one suggestion per canonical tag (a synonym carries its canonical tag).
        """

    def close(self) -> None: ...
