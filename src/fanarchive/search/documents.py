"""The data a search backend indexes and answers with; plain dataclasses, no engine, no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# A work id must fit in 32 bits: backends pack it beside sort values into one 64-bit key.
MAX_WORK_ID = 2**32 - 1


@dataclass(frozen=True)
class ChapterText:
    number: int
    title: str
    text: str  # plain text, for full-text search and snippets


@dataclass
class SearchDocument:
    """One work as the search engine sees it; the database derives it and can always rebuild it."""

    work_id: int
    title: str
    authors: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""  # work and chapter notes, concatenated
    chapters: list[ChapterText] = field(default_factory=list)
    # Canonical ids of the work's tags plus their inherited meta tags: what include/exclude match.
    filter_tag_ids: list[int] = field(default_factory=list)
    # Every name the work's tags go by (synonyms included): what `tag:` searches.
    tag_names: list[str] = field(default_factory=list)
    # The work's own (canonical) tags by kind, as (id, name): what facets count.
    tags: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    # The accounts credited on the work: what a reader's mutes exclude (names can repeat; ids don't).
    creator_ids: list[int] = field(default_factory=list)
    language: str = ""
    complete: bool = False
    crossover: bool = False
    words: int = 0
    chapters_count: int = 0
    chapters_expected: int | None = None
    kudos: int = 0
    hits: int = 0
    comments: int = 0
    bookmarks: int = 0
    published: dt.date = dt.date(1970, 1, 1)
    updated: dt.date = dt.date(1970, 1, 1)
    title_sort: str = ""  # defaults to the case-folded title
    author_sort: str = ""  # defaults to the case-folded first author
    restricted: bool = False  # visible to logged-in readers only
    posted: bool = True  # False: a draft, never shown in listings or search
    hidden: bool = False  # hidden by an admin, never shown in listings or search

    def title_key(self) -> str:
        return (self.title_sort or self.title).casefold()[:200]

    def author_key(self) -> str:
        return (self.author_sort or (self.authors[0] if self.authors else "")).casefold()[:200]


@dataclass(frozen=True)
class FacetCount:
    tag_id: int
    name: str
    count: int


@dataclass(frozen=True)
class Snippet:
    chapter: int  # the chapter number the passage is in
    html: str  # escaped text with matches in <mark>


@dataclass
class SearchResult:
    ids: list[int]  # this page of work ids, in order
    total: int  # exact number of matching works
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    snippets: dict[int, Snippet] = field(default_factory=dict)
    message: str | None = None  # the parser's friendly message, when it could not read the query


@dataclass(frozen=True)
class TagEntry:
    """A tag for autocomplete. canonical_id is None when the tag is itself canonical (or unwrangled)."""

    tag_id: int
    name: str
    kind: str
    canonical_id: int | None = None
    canonical_name: str | None = None
    uses: int = 0  # popularity, to rank suggestions
    # Who may be offered it: the domain.visibility.audience codes of the posted works that carry
    # it or are filed under it (empty: no such work, never offered). Public by default.
    audiences: frozenset[int] = frozenset({0})


@dataclass(frozen=True)
class TagSuggestion:
    tag_id: int  # the tag whose name matched
    name: str
    kind: str
    canonical_id: int  # the tag to filter by: the canonical one for a synonym, else tag_id
    canonical_name: str

    @property
    def is_synonym(self) -> bool:
        return self.canonical_id != self.tag_id
