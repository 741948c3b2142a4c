"""A SearchQuery as a parameterised SQL condition, rank and order over the works table `w` and,
when the query has words to search, its text vectors `t` (work_texts, joined: see from_clause).

The search-box tree (domain/query.py) maps node for node: Match -> `@@` against a tsquery built
from our analysed words (_pg_vectors), All -> AND, Any -> OR, Not -> NOT; a Match with no
searchable word is neutral, as in the reference backend. Every value is a bound parameter; the
only SQL text built here comes from the fixed fragments below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from psycopg import sql

from fanarchive.domain.query import All, Any, Field, Match, Node, Not, SearchQuery, Sort, positive_matches
from fanarchive.search._pg_vectors import all_of, any_of, phrase
from fanarchive.search.analysis import analyze

# The field's own vector column and its weight in the weighted union `meta_v`.
_FIELDS: dict[Field, tuple[str, str]] = {
    Field.TITLE: ("title_v", "A"),
    Field.AUTHOR: ("author_v", "B"),
    Field.SUMMARY: ("summary_v", "B"),
    Field.TAG: ("tag_v", "C"),
    Field.NOTES: ("notes_v", "C"),
}
# ts_rank's weights for D, C, B, A: backend.FIELD_BOOSTS scaled to title = 1 (text 1/3, notes and
# tags 1/2 (C), author and summary 2/3 (B)).
_WEIGHTS = [0.33, 0.5, 0.67, 1.0]
_TEXT_WEIGHT = 0.33
_SORT_COLUMNS: dict[Sort, str] = {
    Sort.UPDATED: "updated",
    Sort.PUBLISHED: "published",
    Sort.KUDOS: "kudos",
    Sort.HITS: "hits",
    Sort.COMMENTS: "comments",
    Sort.BOOKMARKS: "bookmarks",
    Sort.WORDS: "words",
    Sort.TITLE: "title_key",
    Sort.AUTHOR: "author_key",
}


@dataclass
class Condition:
    """SQL text with %s placeholders and their values, in order."""

    parts: list[sql.Composable] = field(default_factory=list)
    params: list[object] = field(default_factory=list)

    def add(self, text: str, *params: object) -> None:
        self.parts.append(sql.SQL(text))
        self.params.extend(params)

    def sql(self, joiner: str = " AND ") -> sql.Composable:
        return sql.SQL(joiner).join(self.parts) if self.parts else sql.SQL("TRUE")


def _match(match: Match, out: Condition) -> sql.Composable | None:
    words = analyze(match.text)
    if not words:
        return None
    # A match is a phrase of its analysed words, even a "word" the analyser splits (x-men).
    if match.field in _FIELDS:
        column, weight = _FIELDS[match.field]
        # The weighted union finds candidates through its index; the field's own vector decides.
        out.params += [phrase(words, weight), phrase(words)]
        return sql.SQL("(t.meta_v @@ %s::tsquery AND t.{} @@ %s::tsquery)").format(sql.Identifier(column))
    if match.field is Field.TEXT:
        return _text_match(words, out)
    out.params.append(phrase(words))
    return sql.SQL("(t.meta_v @@ %s::tsquery OR {})").format(_text_match(words, out))


def _text_match(words: list[str], out: Condition) -> sql.Composable:
    if len(words) == 1:
        out.params.append(phrase(words))
        return sql.SQL("t.body_v @@ %s::tsquery")
    # The work's vector has every word but not every position (PostgreSQL keeps 256 a word, up
    # to position 16383): it narrows, and the chapter passages, small enough to keep all their
    # positions, decide the phrase.
    out.params += [all_of(words), phrase(words)]
    return sql.SQL(
        "(t.body_v @@ %s::tsquery AND EXISTS (SELECT 1 FROM passages p"
        " WHERE p.work_id = w.work_id AND p.words @@ %s::tsquery))"
    )


def _node(node: Node, out: Condition) -> sql.Composable | None:
    if isinstance(node, Match):
        return _match(node, out)
    if isinstance(node, Not):
        inner = _node(node.item, out)
        return None if inner is None else sql.SQL("NOT {}").format(inner)
    parts = [part for part in (_node(child, out) for child in node.items) if part is not None]
    if not parts:
        return None
    joiner = " AND " if isinstance(node, All) else " OR "
    assert isinstance(node, All | Any)
    return sql.SQL("({})").format(sql.SQL(joiner).join(parts))


def conditions(query: SearchQuery) -> tuple[Condition, bool]:
    """The WHERE condition of the query (visibility, filters, search text), and whether the
    search text constrained it (so relevance can rank)."""
    c = Condition()
    for flag, unseen in query.visibility.excluded_flags():
        # The flag names are the fixed words of domain.visibility, each a column of `works`.
        c.add(f"NOT w.{flag}" if unseen else f"w.{flag}")
    if query.include_tag_ids:
        c.add("w.filter_tags @> %s::integer[]", list(query.include_tag_ids))
    if query.exclude_tag_ids:
        c.add("NOT (w.filter_tags && %s::integer[])", list(query.exclude_tag_ids))
    for group in query.any_tag_ids:
        c.add("w.filter_tags && %s::integer[]", list(group))
    if query.work_ids is not None:
        c.add("w.work_id = ANY(%s::integer[])", list(query.work_ids))
    for column, value in (("complete", query.complete), ("crossover", query.crossover)):
        if value is not None:
            c.add(f"w.{column} = %s", value)
    for text, bound in (
        ("w.words >= %s", query.words_min),
        ("w.words <= %s", query.words_max),
        ("w.updated >= %s", query.updated_from),
        ("w.updated <= %s", query.updated_to),
        ("w.published >= %s", query.published_from),
        ("w.published <= %s", query.published_to),
    ):
        if bound is not None:
            c.add(text, bound)
    if query.language is not None:
        c.add("w.language = lower(%s)", query.language)
    if query.exclude_creator_ids:
        c.add("NOT (w.creators && %s::integer[])", list(query.exclude_creator_ids))
    if query.exclude_languages:
        c.add("NOT (w.language = ANY(%s::text[]))", [code.lower() for code in query.exclude_languages])
    parsed = query.parsed()
    searched = False
    if parsed.node is not None:
        node = _node(parsed.node, c)
        if node is not None:
            c.parts.append(node)
            searched = True
    return c, searched


def from_clause(searched: bool) -> sql.Composable:
    """The works, with their text vectors only when the condition or the rank reads them."""
    if searched:
        return sql.SQL("works w JOIN work_texts t ON t.work_id = w.work_id")
    return sql.SQL("works w")


def rank_words(query: SearchQuery) -> list[str]:
    """Every word the query looks for (not those it excludes): what relevance ranks by."""
    return [word for match in positive_matches(query.parsed().node) for word in analyze(match.text)]


def order_by(query: SearchQuery, searched: bool) -> tuple[sql.Composable, list[object]]:
    """ORDER BY for the query's sort; ties always break by work id, in the sort's direction."""
    sort = query.effective_sort
    if sort is Sort.RELEVANCE and not searched:
        sort = Sort.UPDATED  # nothing to rank by: newest first, as the tantivy backend does
    if sort is Sort.RELEVANCE:
        words = rank_words(query)
        rank = any_of(words)
        text = "ts_rank(%s::real[], t.meta_v, %s::tsquery) + %s * ts_rank(t.body_v, %s::tsquery, 1)"
        # Best first whatever the direction: engines rank, they do not rank backwards.
        return sql.SQL(text + " DESC, w.work_id ASC"), [_WEIGHTS, rank, _TEXT_WEIGHT, rank]
    direction = "DESC" if query.effective_descending else "ASC"
    column = _SORT_COLUMNS[sort]
    return sql.SQL(f"w.{column} {direction}, w.work_id {direction}"), []
