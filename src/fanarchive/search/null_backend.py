"""A backend that accepts every write and finds nothing: for tests that do not exercise search.

It keeps nothing, so count() is always 0 and every search is empty (with the query parser's
message, so a page still explains an unreadable query). The contract suite does not apply:
finding nothing is its purpose.
"""

from __future__ import annotations

from collections.abc import Iterable

from fanarchive.domain.query import SearchQuery
from fanarchive.domain.visibility import Visibility
from fanarchive.search.backend import FACET_KINDS
from fanarchive.search.documents import FacetCount, SearchDocument, SearchResult, TagEntry, TagSuggestion


class NullBackend:
    def index(self, docs: Iterable[SearchDocument]) -> None:
        for _doc in docs:  # consumed, as a real backend would, so generators run to the end
            pass

    def delete(self, work_ids: Iterable[int]) -> None:
        pass

    def clear(self) -> None:
        pass

    def commit(self) -> None:
        pass

    def count(self) -> int:
        return 0

    def search(self, query: SearchQuery) -> SearchResult:
        facets: dict[str, list[FacetCount]] = {kind: [] for kind in FACET_KINDS} if query.facets else {}
        return SearchResult(ids=[], total=0, facets=facets, message=query.parsed().message)

    def index_tags(self, tags: Iterable[TagEntry]) -> None:
        for _tag in tags:
            pass

    def delete_tags(self, tag_ids: Iterable[int]) -> None:
        pass

    def autocomplete_tags(
        self, text: str, limit: int = 10, kind: str | None = None, visibility: Visibility | None = None
    ) -> list[TagSuggestion]:
        return []

    def close(self) -> None:
        pass
