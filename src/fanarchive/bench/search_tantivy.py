"""The tantivy engines of the search bench: ours (TantivyBackend through SearchQuery) and raw
tantivy (the `tantivy` package alone, over the very same index directory: the engine without our
code, so ours/raw is our overhead)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tantivy

from fanarchive.bench.search_mix import FACET_LIMIT, PAGE, BenchQuery
from fanarchive.domain.exclusions import SavedExclusions, narrowed
from fanarchive.domain.query import SearchQuery, Sort
from fanarchive.search.backend import SearchBackend
from fanarchive.search.documents import ChapterText, SearchDocument, TagEntry
from fanarchive.search.tantivy_backend import TantivyBackend

Answer = tuple[list[int], int]
BATCH = 500
NO_EXCLUSIONS = SavedExclusions()


def creator_id(author: str) -> int:
    """The synthetic account id behind a corpus author name ("name_17" is account 18)."""
    _, _, number = author.rpartition("_")
    return int(number) + 1 if number.isdigit() else 0


def iter_records(corpus: Path) -> Iterator[dict[str, Any]]:
    with (corpus / "works.jsonl").open(encoding="utf-8") as stream:
        for line in stream:
            yield json.loads(line)


def record_to_document(record: dict[str, Any]) -> SearchDocument:
    return SearchDocument(
        work_id=record["work_id"],
        title=record["title"],
        authors=record["authors"],
        # Accounts behind the author names, so a reader can mute them (the exclusions case).
        creator_ids=sorted({creator_id(a) for a in record["authors"]}),
        summary=record["summary"],
        notes=record["notes"],
        chapters=[ChapterText(c["number"], c["title"], c["text"]) for c in record["chapters"]],
        filter_tag_ids=record["filter_tag_ids"],
        tag_names=record["tag_names"],
        tags={kind: [(int(i), str(n)) for i, n in pairs] for kind, pairs in record["tags"].items()},
        language=record["language"],
        complete=record["complete"],
        crossover=record["crossover"],
        words=record["words"],
        chapters_count=record["chapters_count"],
        chapters_expected=record["chapters_expected"],
        kudos=record["kudos"],
        hits=record["hits"],
        comments=record["comments"],
        bookmarks=record["bookmarks"],
        published=dt.date.fromordinal(record["published"]),
        updated=dt.date.fromordinal(record["updated"]),
        restricted=record["restricted"],
    )


def tag_entries(corpus: Path) -> Iterator[TagEntry]:
    names: dict[int, str] = {}
    with (corpus / "tags.jsonl").open(encoding="utf-8") as stream:
        for line in stream:
            e = json.loads(line)
            names[e["tag_id"]] = e["name"]
            canonical = e["canonical_id"]
            yield TagEntry(e["tag_id"], e["name"], e["kind"], canonical, names.get(canonical), e["uses"])


def index_corpus(backend: SearchBackend, corpus: Path) -> None:
    """Index the corpus as `fanarchive reindex` would: batches through the backend, one commit."""
    backend.clear()
    batch: list[SearchDocument] = []
    for record in iter_records(corpus):
        batch.append(record_to_document(record))
        if len(batch) >= BATCH:
            backend.index(batch)
            batch = []
    backend.index(batch)
    backend.index_tags(tag_entries(corpus))
    backend.commit()


def build_ours(corpus: Path, index: Path) -> None:
    backend = TantivyBackend(index)
    index_corpus(backend, corpus)
    backend.close()


class BackendEngine:
    """Any fanarchive SearchBackend, asked through SearchQuery as the listings ask it."""

    def __init__(self, name: str, backend: SearchBackend) -> None:
        self.name = name
        self.backend = backend

    def run(self, q: BenchQuery, saved: SavedExclusions = NO_EXCLUSIONS) -> Answer:
        """`q` as a reader with `saved` exclusions asks it (merged as the listing service merges)."""
        if q.kind == "autocomplete":
            found = self.backend.autocomplete_tags(q.typed, 10)
            return [s.canonical_id for s in found], len(found)
        counter = getattr(self.backend, "_facet_counter", None)
        if counter is not None:
            # Every timed query is a new one: its facets are counted, never served from our cache.
            # The tag names they show stay known, as they do in an archive between two commits.
            counter.clear_counts()
        result = self.backend.search(
            narrowed(
                SearchQuery(
                    text=q.text,
                    include_tag_ids=q.include,
                    exclude_tag_ids=q.exclude,
                    sort=Sort(q.sort),
                    per_page=PAGE,
                    facets=q.facets,
                    facet_limit=FACET_LIMIT,
                ),
                saved,
            )
        )
        return result.ids, result.total

    def close(self) -> None:
        self.backend.close()


# Exact facet buckets as ours counts them: up to 65,536 buckets kept per segment, and every
# bucket counted again for a kind whose answer says its counts may be low. tantivy's default
# (size * 1.5 + 10 a segment) can undercount a tag that is in no segment's top, so the raw
# baseline did less than ours and looked cheaper for it (issue 16).
EXACT_SEGMENT_BUCKETS = 65_536
ALL_BUCKETS = 2**31 - 1
SNIPPET_CHARS = 240  # as search/snippets.py's, so both sides make fragments of one length
FIELDS = {"title": 3.0, "author": 2.0, "summary": 2.0, "tag": 1.5, "notes": 1.0, "text": 1.0}
KINDS = ("rating", "warning", "category", "fandom", "relationship", "character", "freeform")


class RawTantivyEngine:
    """What a developer would write against the tantivy package for the same answers: the query
    parser for text, term queries for filters, a fast-field sort, one terms aggregation for the
    facets with exact buckets, tantivy's snippet generator for the page (`snippets=False`: the
    same without snippets, the cost of the query alone). No fanarchive import reaches the engine."""

    def __init__(self, index: Path, snippets: bool = True) -> None:
        self.name = "tantivy_raw" if snippets else "tantivy_raw_nosnippets"
        self.snippets = snippets
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build()
        )
        self.works = tantivy.Index.open(str(index / "works"))
        self.tags = tantivy.Index.open(str(index / "tags"))
        for opened in (self.works, self.tags):
            opened.register_tokenizer("fanarchive", analyzer)
        self.schema = self.works.schema
        self.searcher = self.works.searcher()
        self.tag_searcher = self.tags.searcher()
        self.visible = [
            (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "posted", 1)),
            (tantivy.Occur.MustNot, tantivy.Query.term_query(self.schema, "hidden", 1)),
            (tantivy.Occur.MustNot, tantivy.Query.term_query(self.schema, "restricted", 1)),
        ]

    def query(self, q: BenchQuery) -> tuple[tantivy.Query, tantivy.Query | None]:
        """The whole query of `q` (visibility, words, tags), and its words' part if it has one."""
        clauses = list(self.visible)
        text = None
        if q.words:
            text = self.works.parse_query(
                q.text if q.phrase else " ".join(f"+{w}" for w in q.words),
                default_field_names=list(FIELDS),
                field_boosts=FIELDS,
            )
            clauses.append((tantivy.Occur.Must, text))
        for tag_id in q.include:
            clauses.append((tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "filter_tags", tag_id)))
        for tag_id in q.exclude:
            clauses.append(
                (tantivy.Occur.MustNot, tantivy.Query.term_query(self.schema, "filter_tags", tag_id))
            )
        return tantivy.Query.boolean_query(clauses), text

    def run(self, q: BenchQuery) -> Answer:
        if q.kind == "autocomplete":
            return self._autocomplete(q.typed)
        query, text = self.query(q)
        s = self.searcher
        if q.sort == "relevance":
            found = s.search(query, PAGE, count=True)
        else:
            found = s.search(query, PAGE, count=True, order_by_field=f"s_{q.sort}", order=tantivy.Order.Desc)
        addresses = [address for _, address in found.hits]
        ids = [int(i or 0) for i in s.fast_field_values("work_id", addresses)] if addresses else []
        if q.facets:
            self.facets(query)
        if self.snippets and text is not None and addresses:
            # Highlight what was searched for (not the filters), fragments as long as ours.
            generator = tantivy.SnippetGenerator.create(s, text, self.schema, "text")
            generator.set_max_num_chars(SNIPPET_CHARS)
            for address in addresses:
                generator.snippet_from_doc(s.doc(address)).to_html()
        return ids, int(getattr(found, "count", 0) or 0)

    def facets(self, query: tantivy.Query) -> dict[str, list[tuple[int, int]]]:
        """The top FACET_LIMIT (tag id, count) of each kind, exact."""

        def spec(kinds: tuple[str, ...], segment: int) -> dict[str, object]:
            terms = {"size": FACET_LIMIT, "segment_size": segment}
            return {k: {"terms": {"field": f"f_{k}", **terms}} for k in kinds}

        answer = self.searcher.aggregate(query, spec(KINDS, EXACT_SEGMENT_BUCKETS))
        low = tuple(k for k in KINDS if answer.get(k, {}).get("doc_count_error_upper_bound", 0))
        if low:
            answer = {**answer, **self.searcher.aggregate(query, spec(low, ALL_BUCKETS))}
        return {
            k: [(int(b["key"]), int(b["doc_count"])) for b in answer.get(k, {}).get("buckets", [])]
            for k in KINDS
        }

    def _autocomplete(self, typed: str) -> Answer:
        schema, s = self.tags.schema, self.tag_searcher
        words = typed.lower().split()
        queries = [
            tantivy.Query.regex_query(schema, "name_key", " ".join(words) + ".*"),
            tantivy.Query.phrase_prefix_query(schema, "name", list[str | tuple[int, str]](words)),
        ]
        seen: dict[int, None] = {}
        for query in queries:
            for _, address in s.search(query, 10, count=False, order_by_field="uses").hits:
                seen[int(s.doc(address).get_first("canonical_id") or 0)] = None
        ids = list(seen)[:10]
        return ids, len(ids)

    def close(self) -> None:
        pass


def directory_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
