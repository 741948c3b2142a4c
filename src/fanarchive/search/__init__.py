"""fanarchive's search engine: one backend answers every works listing and every search.

Pure Python around the engines (no Django): `SearchBackend` (backend.py) is the interface,
`TantivyBackend` the embedded default, `MemoryBackend` the brute-force reference for tests.
"""

from fanarchive.domain.query import SearchQuery, Sort, parse_query, query_from_params
from fanarchive.search.backend import FACET_KINDS, SearchBackend
from fanarchive.search.documents import (
    ChapterText,
    FacetCount,
    SearchDocument,
    SearchResult,
    Snippet,
    TagEntry,
    TagSuggestion,
)

__all__ = [
    "FACET_KINDS",
    "ChapterText",
    "FacetCount",
    "SearchBackend",
    "SearchDocument",
    "SearchQuery",
    "SearchResult",
    "Snippet",
    "Sort",
    "TagEntry",
    "TagSuggestion",
    "parse_query",
    "query_from_params",
]
