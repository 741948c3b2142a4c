"""The tantivy index layout: schemas, document conversion, and the search-box tree as a tantivy query."""

from __future__ import annotations

import datetime as dt

import tantivy

from fanarchive.domain.query import All, Any, Match, Node, Not, SearchQuery, Sort
from fanarchive.search._common import (
    NUMERIC_SORTS,
    check_work_id,
    day,
    numeric_sort_value,
    pack,
    pack_range,
    text_sort_key,
)
from fanarchive.search.analysis import MAX_TOKEN_BYTES
from fanarchive.search.backend import FACET_KINDS, FIELD_BOOSTS
from fanarchive.search.documents import SearchDocument, TagEntry

# Bump when the layout changes: an index of another version is wiped and rebuilt from the database.
SCHEMA_VERSION = 4
ANALYZER = "fanarchive"
TEXT_FIELDS = tuple(FIELD_BOOSTS)  # title author summary tag notes text
FLAGS = ("complete", "crossover", "posted", "hidden", "restricted")


def make_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_BYTES))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def works_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("work_id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        # Chapter texts are stored (one value per chapter) so snippets can say which chapter.
        sb.add_text_field(name, stored=name == "text", tokenizer_name=ANALYZER)
    sb.add_unsigned_field("chapter_numbers", stored=True)
    sb.add_unsigned_field("filter_tags", indexed=True)
    sb.add_unsigned_field("creators", indexed=True)
    sb.add_text_field("language", tokenizer_name="raw")
    for flag in FLAGS:
        sb.add_unsigned_field(flag, indexed=True)
    for sort in NUMERIC_SORTS:
        sb.add_unsigned_field(f"s_{sort.value}", fast=True)
    sb.add_text_field("s_title", fast=True, tokenizer_name="raw")
    sb.add_text_field("s_author", fast=True, tokenizer_name="raw")
    # Facets count tag ids in u64 columns: a terms aggregation over a text column looks every
    # bucket's string up in the segment's dictionary, which made exact counts (every bucket kept)
    # cost half as much again; over ids they cost less than inexact ones over names did. The names
    # shown are terms of `facet_names`, looked up for the few ids that reach the top.
    for kind in FACET_KINDS:
        sb.add_unsigned_field(f"f_{kind}", fast=True)
    sb.add_text_field("facet_names", tokenizer_name="raw", index_option="basic")
    return sb.build()


def tags_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("tag_id", stored=True, indexed=True, fast=True)
    sb.add_text_field("name", stored=True, tokenizer_name=ANALYZER)
    sb.add_text_field("name_key", tokenizer_name="raw")
    sb.add_text_field("kind", stored=True, tokenizer_name="raw")
    sb.add_unsigned_field("canonical_id", stored=True)
    sb.add_text_field("canonical_name", stored=True, tokenizer_name="raw")
    sb.add_unsigned_field("uses", stored=True, fast=True)
    sb.add_unsigned_field("audience", indexed=True)  # TagEntry.audiences: who may be offered it
    return sb.build()


def facet_name_prefix(kind: str, tag_id: int) -> str:
    return f"{kind}:{tag_id}\x1f"


def facet_name_term(kind: str, tag_id: int, name: str) -> str:
    return facet_name_prefix(kind, tag_id) + name


def work_document(doc: SearchDocument) -> tantivy.Document:
    check_work_id(doc.work_id)
    d = tantivy.Document()
    d.add_unsigned("work_id", doc.work_id)
    d.add_text("title", doc.title)
    for name in doc.authors:
        d.add_text("author", name)
    d.add_text("summary", doc.summary)
    d.add_text("notes", doc.notes)
    for name in doc.tag_names:
        d.add_text("tag", name)
    for chapter in doc.chapters:
        d.add_text("text", chapter.text)
        d.add_unsigned("chapter_numbers", chapter.number)
    for tag_id in set(doc.filter_tag_ids):
        d.add_unsigned("filter_tags", tag_id)
    for user_id in set(doc.creator_ids):
        d.add_unsigned("creators", user_id)
    d.add_text("language", doc.language.lower())
    for flag in FLAGS:
        d.add_unsigned(flag, int(bool(getattr(doc, flag))))
    for sort in NUMERIC_SORTS:
        d.add_unsigned(f"s_{sort.value}", pack(numeric_sort_value(doc, sort), doc.work_id))
    d.add_text("s_title", text_sort_key(doc.title_key(), doc.work_id))
    d.add_text("s_author", text_sort_key(doc.author_key(), doc.work_id))
    for kind in FACET_KINDS:
        # One value an id: a work counts once in a facet whatever names its tags came with.
        for tag_id, name in {tag_id: name for tag_id, name in doc.tags.get(kind, [])}.items():
            d.add_unsigned(f"f_{kind}", tag_id)
            d.add_text("facet_names", facet_name_term(kind, tag_id, name))
    return d


def tag_document(entry: TagEntry, analyzer: tantivy.TextAnalyzer) -> tantivy.Document:
    d = tantivy.Document()
    d.add_unsigned("tag_id", entry.tag_id)
    d.add_text("name", entry.name)
    d.add_text("name_key", " ".join(analyzer.analyze(entry.name)))
    d.add_text("kind", entry.kind)
    d.add_unsigned("canonical_id", entry.canonical_id if entry.canonical_id is not None else entry.tag_id)
    d.add_text("canonical_name", entry.canonical_name or entry.name)
    d.add_unsigned("uses", max(entry.uses, 0))
    for code in entry.audiences:
        d.add_unsigned("audience", code)
    return d


class QueryBuilder:
    def __init__(self, schema: tantivy.Schema, analyzer: tantivy.TextAnalyzer) -> None:
        self.schema = schema
        self.analyzer = analyzer

    def match(
        self, match: Match, fields: tuple[str, ...] | None = None, boost: bool = True
    ) -> tantivy.Query | None:
        words = self.analyzer.analyze(match.text)
        if not words:
            return None
        names = fields or ((match.field.value,) if match.field else TEXT_FIELDS)
        parts = []
        for name in names:
            q = (
                tantivy.Query.term_query(self.schema, name, words[0])
                if len(words) == 1
                else tantivy.Query.phrase_query(self.schema, name, list[str | tuple[int, str]](words))
            )
            parts.append(tantivy.Query.boost_query(q, FIELD_BOOSTS[name]) if boost else q)
        if len(parts) == 1:
            return parts[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, p) for p in parts])

    def text(self, node: Node) -> tantivy.Query | None:
        if isinstance(node, Match):
            return self.match(node)
        if isinstance(node, Not):
            inner = self.text(node.item)
            return None if inner is None else self._all_but([inner])
        built = [
            (isinstance(child, Not), self.text(child.item if isinstance(child, Not) else child))
            for child in node.items
        ]
        live = [(negated, q) for negated, q in built if q is not None]
        if not live:
            return None
        if isinstance(node, All):
            musts = [q for negated, q in live if not negated]
            nots = [q for negated, q in live if negated]
            if not musts:
                return self._all_but(nots)
            clauses = [(tantivy.Occur.Must, q) for q in musts] + [(tantivy.Occur.MustNot, q) for q in nots]
            return clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)
        assert isinstance(node, Any)
        shoulds = [self._all_but([q]) if negated else q for negated, q in live]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in shoulds])

    def _all_but(self, excluded: list[tantivy.Query]) -> tantivy.Query:
        clauses = [(tantivy.Occur.Must, tantivy.Query.const_score_query(tantivy.Query.all_query(), 0.0))]
        return tantivy.Query.boolean_query(clauses + [(tantivy.Occur.MustNot, q) for q in excluded])

    def term(self, name: str, value: object) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, name, value)

    def filters(self, q: SearchQuery) -> tantivy.Query:
        """The query's filters as one boolean query (it scores; see `unscored`)."""
        # What the viewer may not see (domain.visibility): a work with a flag set is left out by a
        # must-not; one without it (a draft: posted 0) by a must, so the query keeps a must clause.
        excluded = q.visibility.excluded_flags()
        must = [self.term(flag, 1) for flag, value in excluded if not value]
        must_not = [self.term(flag, 1) for flag, value in excluded if value]
        must += [self.term("filter_tags", t) for t in q.include_tag_ids]
        # A term query each: a term set builds an automaton, slower for the few tags one excludes.
        must_not += [self.term("filter_tags", t) for t in q.exclude_tag_ids]
        must += [tantivy.Query.term_set_query(self.schema, "filter_tags", list(g)) for g in q.any_tag_ids]
        if q.work_ids is not None:
            must.append(tantivy.Query.term_set_query(self.schema, "work_id", list(q.work_ids)))
        for flag, value in (("complete", q.complete), ("crossover", q.crossover)):
            if value is not None:
                must.append(self.term(flag, int(value)))
        if q.language:
            must.append(self.term("language", q.language.lower()))
        must_not += [self.term("creators", u) for u in q.exclude_creator_ids]
        must_not += [self.term("language", code.lower()) for code in q.exclude_languages]
        ranges: list[tuple[str, int | None, int | None]] = [
            ("s_words", q.words_min, q.words_max),
            ("s_updated", _day(q.updated_from), _day(q.updated_to)),
            ("s_published", _day(q.published_from), _day(q.published_to)),
        ]
        for name, low, high in ranges:
            if low is not None or high is not None:
                lo, hi = pack_range(low, high)
                must.append(tantivy.Query.range_query(self.schema, name, tantivy.FieldType.Unsigned, lo, hi))
        clauses = [(tantivy.Occur.Must, x) for x in must] + [(tantivy.Occur.MustNot, x) for x in must_not]
        return tantivy.Query.boolean_query(clauses)

    @staticmethod
    def unscored(query: tantivy.Query) -> tantivy.Query:
        """Filters beside a text query: they must not add to its relevance."""
        return tantivy.Query.const_score_query(query, 0.0)


def _day(date: dt.date | None) -> int | None:
    return None if date is None else day(date)


def sort_field(sort: Sort) -> str | None:
    return None if sort is Sort.RELEVANCE else f"s_{sort.value}"
