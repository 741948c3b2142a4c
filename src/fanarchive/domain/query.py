"""What a reader asks of a works listing or the search box, independent of any search engine.

`SearchQuery` is the one question every listing and search asks of a `SearchBackend`;
`parse_query` turns the search-box text into a small tree (`Match`, `All`, `Any`, `Not`) that
each backend translates into its own engine's query.

Search-box syntax: words (all must match, anywhere: title, authors, summary, notes, tags,
chapter text), "exact phrases", `a OR b` (also `|`), `-word` / `NOT word` to exclude,
parentheses for grouping, and fields `title:`, `author:`, `summary:`, `notes:`, `tag:`,
`text:` (e.g. `title:dragon`, `tag:"Found Family"`, `author:(ann OR bob)`). OR binds tighter
than the implicit AND: `a b OR c` means a AND (b OR c). A word with an unknown field such as
`Re:Zero` is searched as plain text. Text the parser cannot read (an unclosed quote or
parenthesis, a dangling OR or field) never raises: `ParsedQuery.message` explains, in words a
reader understands, and the query falls back to the plain words it contains.

URL parameters of listing pages (`query_from_params` / `SearchQuery.to_params`); every one is
optional, list values may repeat or be comma-separated, bad values are ignored and reported in
`SearchQuery.problems`:

    q               search-box text
    include         tag ids a work must all have (matched through filter tags, so a
                    canonical tag also matches its synonyms and sub tags)
    exclude         tag ids a work must have none of
    any             tag ids of which a work must have at least one (one group per parameter)
    complete        1 = complete works only, 0 = works in progress only
    crossover       1 = crossovers only, 0 = no crossovers
    words_from      minimum word count (inclusive)      words_to    maximum (inclusive)
    updated_from    YYYY-MM-DD, inclusive               updated_to
    published_from  YYYY-MM-DD, inclusive               published_to
    language        language code, e.g. en
    sort            updated, published, kudos, hits, comments, bookmarks, words, title,
                    author, relevance (default: relevance with search text, else updated)
    order           asc or desc (default: asc for title and author, desc for the rest;
                    relevance is always best first)
    page            1-based page number                 per_page    1..100 (default 20)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from fanarchive.domain.visibility import MAX_ROW_ID, Visibility


class Field(StrEnum):
    TITLE = "title"
    AUTHOR = "author"
    SUMMARY = "summary"
    NOTES = "notes"
    TAG = "tag"
    TEXT = "text"


FIELD_ALIASES: dict[str, Field] = {f.value: f for f in Field} | {
    "authors": Field.AUTHOR,
    "by": Field.AUTHOR,
    "tags": Field.TAG,
    "note": Field.NOTES,
}


class Sort(StrEnum):
    UPDATED = "updated"
    PUBLISHED = "published"
    KUDOS = "kudos"
    HITS = "hits"
    COMMENTS = "comments"
    BOOKMARKS = "bookmarks"
    WORDS = "words"
    TITLE = "title"
    AUTHOR = "author"
    RELEVANCE = "relevance"


ASCENDING_BY_DEFAULT = frozenset({Sort.TITLE, Sort.AUTHOR})
MAX_PER_PAGE = 100
MAX_GROUPS = 50  # parentheses in one query: far more than anyone types, far below recursion limits
DEFAULT_PER_PAGE = 20
# How many works a listing may skip: deeper pages are empty (AO3 stops at 5,000 pages of 20), so a
# huge ?page= costs nothing. Numbers in URLs are whole ASCII numbers up to MAX_ROW_ID.
MAX_OFFSET = 1_000_000


@dataclass(frozen=True)
class Match:
    """Words (one word, or a phrase when `phrase`) to find in `field`, or in any field when None."""

    text: str
    field: Field | None = None
    phrase: bool = False


@dataclass(frozen=True)
class All:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Any:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Match | All | Any | Not


@dataclass(frozen=True)
class ParsedQuery:
    node: Node | None
    message: str | None = None


class _Unreadable(Exception):
    pass


_WORDS = re.compile(r"[^\W_]+")
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
# Token kinds: ( ) OR NOT FIELD WORD PHRASE
_Token = tuple[str, str]


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append((c, c))
            i += 1
        elif c == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise _Unreadable("a quotation mark is not closed")
            tokens.append(("PHRASE", text[i + 1 : end]))
            i = end + 1
        elif c == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != "-":
            # Only a leading dash negates: "x-men" stays one word.
            tokens.append(("NOT", c))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            head, colon, rest = word.partition(":")
            if colon and head.lower() in FIELD_ALIASES and not rest:
                # "title: dragon" means title:dragon; a field with nothing after it is unreadable.
                while j < n and text[j].isspace():
                    j += 1
                if j >= n or text[j] == ")":
                    raise _Unreadable(f"“{head}:” needs a word after it")
                tokens.append(("FIELD", FIELD_ALIASES[head.lower()].value))
            elif colon and head.lower() in FIELD_ALIASES:
                tokens += [("FIELD", FIELD_ALIASES[head.lower()].value), ("WORD", rest)]
            elif word in ("OR", "|", "||"):
                tokens.append(("OR", word))
            elif word == "NOT":
                tokens.append(("NOT", word))
            elif word not in ("AND", "&&", "-", "--"):
                tokens.append(("WORD", word))
            i = j
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def sequence(self, field: Field | None) -> Node | None:
        items: list[Node] = []
        while self.peek() not in (None, ")"):
            if self.peek() == "OR":
                raise _Unreadable("“OR” needs words on both sides")
            items.append(self.either(field))
        return _combine(All, items)

    def either(self, field: Field | None) -> Node:
        items = [self.unary(field)]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR"):
                raise _Unreadable("“OR” needs words on both sides")
            items.append(self.unary(field))
        combined = _combine(Any, items)
        assert combined is not None
        return combined

    def unary(self, field: Field | None) -> Node:
        if self.peek() == "NOT":
            self.take()
            if self.peek() in (None, ")", "OR"):
                raise _Unreadable("“-” or “NOT” needs a word after it")
            return Not(self.unary(field))
        if self.peek() == "FIELD":
            field = Field(self.take()[1])
            if self.peek() in (None, ")", "OR", "NOT", "FIELD"):
                raise _Unreadable(f"“{field.value}:” needs a word after it")
        kind, value = self.take()
        if kind == "(":
            inner = self.sequence(field)
            if self.peek() != ")":
                raise _Unreadable("a parenthesis is not closed")
            self.take()
            if inner is None:
                raise _Unreadable("a pair of parentheses is empty")
            return inner
        if kind == ")":
            raise _Unreadable("a closing parenthesis has no opening one")
        return Match(value, field, phrase=kind == "PHRASE")


def _combine(kind: type[All] | type[Any], items: list[Node]) -> Node | None:
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return kind(tuple(items))


def parse_query(text: str) -> ParsedQuery:
    """Parse search-box text; never raises (see the module docstring)."""
    text = text.translate(_QUOTES).strip()
    if not text:
        return ParsedQuery(None)
    try:
        tokens = _lex(text)
        if sum(1 for kind, _ in tokens if kind == "(") > MAX_GROUPS:
            raise _Unreadable("it has too many parentheses")
        parser = _Parser(tokens)
        node = parser.sequence(None)
        if parser.pos < len(parser.tokens):
            raise _Unreadable("a closing parenthesis has no opening one")
        return ParsedQuery(node)
    except _Unreadable as problem:
        words = _WORDS.findall(text.replace('"', " "))
        fallback = _combine(All, [Match(w) for w in words if w not in ("OR", "NOT", "AND")])
        message = f"We couldn't read your search exactly ({problem}), so we searched for its words instead."
        return ParsedQuery(fallback, message)


def positive_matches(node: Node | None) -> list[Match]:
    """The matches a result is found by (not those it must avoid): what snippets highlight."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Match):
        return [node]
    return [m for item in node.items for m in positive_matches(item)]


@dataclass(frozen=True)
class SearchQuery:
    """One listing or search request. Tag ids refer to filter tags (see the module docstring)."""

    text: str = ""
    include_tag_ids: tuple[int, ...] = ()
    exclude_tag_ids: tuple[int, ...] = ()
    # A reader's saved exclusions (never URL parameters): works by these accounts, in these languages.
    exclude_creator_ids: tuple[int, ...] = ()
    exclude_languages: tuple[str, ...] = ()
    any_tag_ids: tuple[tuple[int, ...], ...] = ()
    work_ids: tuple[int, ...] | None = None  # restrict to these works (an author's page, a series...)
    complete: bool | None = None
    crossover: bool | None = None
    words_min: int | None = None
    words_max: int | None = None
    updated_from: dt.date | None = None
    updated_to: dt.date | None = None
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    language: str | None = None
    sort: Sort | None = None
    descending: bool | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    facets: bool = False
    facet_limit: int = 10
    viewer_can_see_restricted: bool = False
    viewer_can_see_hidden: bool = False  # staff: works an admin hid (archive/access.py decides)
    problems: tuple[str, ...] = field(default=(), compare=False)

    def parsed(self) -> ParsedQuery:
        return parse_query(self.text)

    @property
    def visibility(self) -> Visibility:
        """What the viewer may see: every backend excludes `visibility.excluded_flags()`."""
        return Visibility(restricted=self.viewer_can_see_restricted, hidden=self.viewer_can_see_hidden)

    @property
    def beyond_last_page(self) -> bool:
        """A page so far on no engine is asked for it: the listing shows it empty."""
        return self.offset >= MAX_OFFSET

    @property
    def effective_sort(self) -> Sort:
        if self.sort is None or (self.sort is Sort.RELEVANCE and not self.text.strip()):
            return Sort.RELEVANCE if self.text.strip() else Sort.UPDATED
        return self.sort

    @property
    def effective_descending(self) -> bool:
        if self.descending is not None:
            return self.descending
        return self.effective_sort not in ASCENDING_BY_DEFAULT

    @property
    def limit(self) -> int:
        return min(max(self.per_page, 1), MAX_PER_PAGE)

    @property
    def offset(self) -> int:
        return (max(self.page, 1) - 1) * self.limit

    def with_page(self, page: int) -> SearchQuery:
        return replace(self, page=page)

    def to_params(self) -> list[tuple[str, str]]:
        """The URL parameters that `query_from_params` reads back into this query."""
        out: list[tuple[str, str]] = []
        if self.text:
            out.append(("q", self.text))
        out += [("include", str(i)) for i in self.include_tag_ids]
        out += [("exclude", str(i)) for i in self.exclude_tag_ids]
        out += [("any", ",".join(map(str, group))) for group in self.any_tag_ids]
        for name, flag in (("complete", self.complete), ("crossover", self.crossover)):
            if flag is not None:
                out.append((name, "1" if flag else "0"))
        for name, value in (
            ("words_from", self.words_min),
            ("words_to", self.words_max),
            ("updated_from", self.updated_from),
            ("updated_to", self.updated_to),
            ("published_from", self.published_from),
            ("published_to", self.published_to),
            ("language", self.language),
            ("sort", self.sort),
        ):
            if value is not None:
                out.append((name, value.isoformat() if isinstance(value, dt.date) else str(value)))
        if self.descending is not None:
            out.append(("order", "desc" if self.descending else "asc"))
        if self.page != 1:
            out.append(("page", str(self.page)))
        if self.per_page != DEFAULT_PER_PAGE:
            out.append(("per_page", str(self.per_page)))
        return out


Params = Mapping[str, str | Sequence[str]]
_TRUE = {"1", "true", "yes", "on", "only"}
_FALSE = {"0", "false", "no", "off", "exclude"}


def _values(params: Params, name: str) -> list[str]:
    raw = params.get(name, ())
    items = [raw] if isinstance(raw, str) else list(raw)
    return [v.strip() for v in items if v.strip()]


def whole_number(text: str) -> int | None:
    """A URL's whole number (ASCII digits, thousands commas allowed) up to MAX_ROW_ID, else None:
    past it nothing exists, and int() of thousands of digits raises."""
    digits = text.strip().replace(",", "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(MAX_ROW_ID)):
        return None
    value = int(digits)
    return value if value <= MAX_ROW_ID else None


def query_from_params(params: Params, **overrides: object) -> SearchQuery:
    """Read a listing's URL parameters (documented above); `overrides` set the rest (facets...)."""
    problems: list[str] = []

    def ids(name: str, value: str) -> tuple[int, ...]:
        found = []
        for part in value.split(","):
            if (tag_id := whole_number(part)) is not None and tag_id > 0:
                found.append(tag_id)
            elif part.strip():
                problems.append(f"{name}: “{part.strip()[:40]}” is not a tag id")
        return tuple(found)

    def one(name: str) -> str | None:
        values = _values(params, name)
        return values[-1] if values else None

    def number(name: str) -> int | None:
        value = one(name)
        if value is None:
            return None
        if (whole := whole_number(value)) is not None:
            return whole
        problems.append(f"{name}: “{value[:40]}” is not a whole number from 0 to {MAX_ROW_ID:,}")
        return None

    def date(name: str) -> dt.date | None:
        value = one(name)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            problems.append(f"{name}: “{value}” is not a date (YYYY-MM-DD)")
            return None

    def flag(name: str) -> bool | None:
        value = one(name)
        if value is None or value.lower() in ("", "any", "all"):
            return None
        if value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        problems.append(f"{name}: “{value}” should be 1 or 0")
        return None

    sort: Sort | None = None
    sort_value = one("sort")
    if sort_value is not None:
        try:
            sort = Sort(sort_value.lower())
        except ValueError:
            problems.append(f"sort: “{sort_value}” is not a sort order")
    order = (one("order") or "").lower()
    language = one("language")
    query = SearchQuery(
        text=" ".join(_values(params, "q")),
        include_tag_ids=tuple(i for v in _values(params, "include") for i in ids("include", v)),
        exclude_tag_ids=tuple(i for v in _values(params, "exclude") for i in ids("exclude", v)),
        any_tag_ids=tuple(g for g in (ids("any", v) for v in _values(params, "any")) if g),
        complete=flag("complete"),
        crossover=flag("crossover"),
        words_min=number("words_from"),
        words_max=number("words_to"),
        updated_from=date("updated_from"),
        updated_to=date("updated_to"),
        published_from=date("published_from"),
        published_to=date("published_to"),
        language=language.lower() if language else None,
        sort=sort,
        descending={"desc": True, "asc": False}.get(order),
        page=max(number("page") or 1, 1),
        per_page=min(max(number("per_page") or DEFAULT_PER_PAGE, 1), MAX_PER_PAGE),
    )
    return replace(query, problems=tuple(problems), **overrides)  # type: ignore[arg-type]
