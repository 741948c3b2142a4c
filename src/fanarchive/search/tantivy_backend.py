"""The embedded default backend: a tantivy index directory, derived from the database, always rebuildable.

Layout: <path>/works (one document per work; each chapter's text is one value of the `text`
field, so "which chapter matched" stays exact while counts stay counts of works) and
<path>/tags (the tag autocomplete index). Sorts and ranges run on packed u64 fast fields
(value << 32 | work_id, so ties break by work id), facets on tantivy's terms aggregation over
u64 fast fields of tag ids (_tantivy_facets.py), totals on tantivy's count collector: no Python loop over
the matching documents. A listing with many exclusions is answered in one aggregation pass
(_tantivy_one_pass.py).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

import tantivy

from fanarchive.domain.query import Field, SearchQuery, Sort, positive_matches
from fanarchive.domain.visibility import Visibility
from fanarchive.search import _index_files, snippets
from fanarchive.search import _tantivy_one_pass as one_pass
from fanarchive.search._common import rank_suggestions
from fanarchive.search._tantivy_facets import FacetCounter
from fanarchive.search._tantivy_schema import (
    ANALYZER,
    SCHEMA_VERSION,
    QueryBuilder,
    make_analyzer,
    sort_field,
    tag_document,
    tags_schema,
    work_document,
    works_schema,
)
from fanarchive.search.analysis import analyze
from fanarchive.search.backend import IndexBusy
from fanarchive.search.documents import (
    SearchDocument,
    SearchResult,
    Snippet,
    TagEntry,
    TagSuggestion,
)


class TantivyBackend:
    def __init__(
        self,
        path: str | Path | None = None,
        writer_heap: int = 64_000_000,
        writer_threads: int = 0,
        facet_threads: int = 2,
    ) -> None:
        """path None keeps the index in memory (tests); otherwise it is created or reopened there."""
        self.path = Path(path) if path is not None else None
        self._heap, self._threads, self._facet_threads = writer_heap, writer_threads, facet_threads
        self.analyzer = make_analyzer()
        self._hold: IO[str] | None = None
        self._works_writer: tantivy.IndexWriter | None = None
        self._tags_writer: tantivy.IndexWriter | None = None
        self._commits = 0
        self._seen: dict[str, object] = {}
        self._facet_counter = FacetCounter(facet_threads)
        self._generation = 0
        self._pinned = False  # a backend filling a new generation stays on it
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)
            with _index_files.exclusive(self.path):
                self._check_version(self.path)
                # Taken under the mutation lock, so no other process drops the index once it is open.
                self._hold = _index_files.hold(self.path)
                self._generation = _index_files.generation(self.path)
                self._open_all()
        else:
            self._open_all()

    def _root(self) -> Path:
        """Where this generation's works/ and tags/ are (generation 0: the index directory itself)."""
        assert self.path is not None
        return _index_files.generation_dir(self.path, self._generation)

    def _open_all(self) -> None:
        self.works = self._open(works_schema(), "works")
        self.tags = self._open(tags_schema(), "tags")
        self.q = QueryBuilder(self.works.schema, self.analyzer)
        self._tags_q = QueryBuilder(self.tags.schema, self.analyzer)

    def _follow_rebuild(self) -> None:
        """A rebuild elsewhere (`fanarchive reindex`) made a new generation: open that one."""
        if self.path is None or self._pinned or _index_files.generation(self.path) == self._generation:
            return
        self._works_writer = self._tags_writer = None
        self._generation = _index_files.generation(self.path)
        self._open_all()
        self._seen.clear()
        self._facet_counter.clear()

    def rebuild(self, fill: Callable[[TantivyBackend], None]) -> None:
        """Build a whole new index with `fill` (given an empty backend; it need not commit) in a new
        directory, then make it the live one in one atomic step (GENERATION replaced): searches in
        every process see the old index until then, and the new one right after. Holds the live
        index's writer throughout, so no indexer writes into the index being replaced."""
        if self.path is None:
            self.clear()
            fill(self)
            self.commit()
            return
        self._writer()  # IndexBusy while another process writes
        self._writer(tags=True)
        next_generation = max(self._generation, _index_files.generation(self.path)) + 1
        target = _index_files.generation_dir(self.path, next_generation)
        shutil.rmtree(target, ignore_errors=True)  # a rebuild that died half way
        target.mkdir()
        fresh = TantivyBackend(None, self._heap, self._threads, self._facet_threads)
        fresh.path, fresh._generation, fresh._pinned = self.path, next_generation, True
        fresh._open_all()
        fill(fresh)
        fresh.commit()
        fresh.close()
        with _index_files.exclusive(self.path):
            _index_files.write_atomically(self.path / _index_files.GENERATION_NAME, f"{next_generation}\n")
        previous = self._generation
        self._follow_rebuild()
        # The generation before the one just replaced can go: readers have had a whole rebuild's
        # time to move on from it. The one just replaced stays for readers still on it.
        _index_files.remove_generations_before(self.path, previous)

    @staticmethod
    def _check_version(path: Path) -> None:
        """Drop an index of another layout version (the database rebuilds it). Called with the
        mutation lock held; VERSION is replaced atomically, so an empty read means no index yet."""
        marker = path / "VERSION"
        found = marker.read_text().strip() if marker.exists() else ""
        if found == str(SCHEMA_VERSION):
            return
        if found and _index_files.has_index(path):
            if not _index_files.nobody_else_holds(path):
                raise IndexBusy(
                    f"the search index at {path} has layout {found}, not {SCHEMA_VERSION}, and another "
                    "process has it open; stop it before upgrading the index"
                )
            for name in ("works", "tags"):
                shutil.rmtree(path / name, ignore_errors=True)
            (path / _index_files.GENERATION_NAME).unlink(missing_ok=True)
            _index_files.remove_generations_before(path, 1 << 62)
        _index_files.write_atomically(marker, f"{SCHEMA_VERSION}\n")

    def _open(self, schema: tantivy.Schema, name: str) -> tantivy.Index:
        if self.path is None:
            index = tantivy.Index(schema)
        else:
            (self._root() / name).mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(schema, path=str(self._root() / name), reuse=True)
        index.register_tokenizer(ANALYZER, self.analyzer)
        return index

    # --- writes -------------------------------------------------------------------------
    def _writer(self, tags: bool = False) -> tantivy.IndexWriter:
        # Opened lazily: a process that only searches never takes the index's writer lock.
        self._follow_rebuild()
        try:
            if tags:
                if self._tags_writer is None:
                    self._tags_writer = self.tags.writer(15_000_000, 1)
                return self._tags_writer
            if self._works_writer is None:
                self._works_writer = self.works.writer(self._heap, self._threads)
            return self._works_writer
        except ValueError as error:
            if "LockBusy" in str(error):
                raise IndexBusy(
                    f"the search index at {self.path} is being written by another process"
                ) from None
            raise

    def index(self, docs: Iterable[SearchDocument]) -> None:
        """Add or replace works; call with batches (a few thousand) when rebuilding, then commit()."""
        # The last version of each id wins; one delete for the batch, before its adds, replaces.
        latest = {doc.work_id: doc for doc in docs}
        if not latest:
            return
        documents = [work_document(doc) for doc in latest.values()]
        writer = self._writer()
        self._delete_ids(writer, self.works.schema, "work_id", list(latest))
        for document in documents:
            writer.add_document(document)

    def delete(self, work_ids: Iterable[int]) -> None:
        self._delete_ids(self._writer(), self.works.schema, "work_id", list(work_ids))

    @staticmethod
    def _delete_ids(writer: tantivy.IndexWriter, schema: tantivy.Schema, field: str, ids: list[int]) -> None:
        # By query, not by term: a term built from a Python int is not a u64 term and deletes nothing.
        if ids:
            writer.delete_documents_by_query(tantivy.Query.term_set_query(schema, field, ids))

    def clear(self) -> None:
        self._writer().delete_all_documents()
        self._writer(tags=True).delete_all_documents()

    def index_tags(self, tags: Iterable[TagEntry]) -> None:
        latest = {entry.tag_id: entry for entry in tags}
        if not latest:
            return
        writer = self._writer(tags=True)
        self._delete_ids(writer, self.tags.schema, "tag_id", list(latest))
        for entry in latest.values():
            writer.add_document(tag_document(entry, self.analyzer))

    def delete_tags(self, tag_ids: Iterable[int]) -> None:
        self._delete_ids(self._writer(tags=True), self.tags.schema, "tag_id", list(tag_ids))

    def commit(self) -> None:
        for writer, index in ((self._works_writer, self.works), (self._tags_writer, self.tags)):
            if writer is not None:
                writer.commit()
                index.reload()
        self._commits += 1

    def _searcher(self, name: str) -> tantivy.Searcher:
        """A searcher on the latest commit, whichever process made it."""
        self._follow_rebuild()
        index = self.works if name == "works" else self.tags
        stamp: object = self._commits
        if self.path is not None:
            try:
                # meta.json is replaced on every commit and merge: a new inode or time means new data.
                info = os.stat(self._root() / name / "meta.json")
                stamp = (self._commits, info.st_ino, info.st_mtime_ns, info.st_size)
            except FileNotFoundError:
                pass
        if self._seen.get(name) != stamp:
            index.reload()
            self._seen[name] = stamp
            if name == "works":
                self._facet_counter.clear()
        return index.searcher()

    def close(self) -> None:
        for writer in (self._works_writer, self._tags_writer):
            if writer is not None:
                writer.wait_merging_threads()
        self._works_writer = self._tags_writer = None
        self._facet_counter.close()
        self._facet_counter = FacetCounter(self._facet_threads)
        if self._hold is not None:
            self._hold.close()  # releases this process's shared hold on the index
            self._hold = None

    def count(self) -> int:
        return int(self._searcher("works").num_docs)

    # --- search -------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        parsed = query.parsed()
        text_query = self.q.text(parsed.node) if parsed.node is not None else None
        filters = self.q.filters(query)
        if text_query is None:
            # A listing is sorted by a field: scores are never read, and the filters stand alone.
            full = filters
        else:
            clauses = [(tantivy.Occur.Must, self.q.unscored(filters)), (tantivy.Occur.Must, text_query)]
            full = tantivy.Query.boolean_query(clauses)
        searcher = self._searcher("works")
        sort = query.effective_sort if text_query is not None else _no_relevance(query.effective_sort)
        field = sort_field(sort)
        wait_for_facets = None
        if query.facets:
            key = dataclasses.replace(query, sort=None, descending=None, page=1, per_page=1, problems=())
            if (
                field is not None
                and one_pass.wanted(query, field, text_query)
                and not self._facet_counter.has(key)
            ):
                page = one_pass.page_spec(field, query.effective_descending, query.offset, query.limit)
                facets, answer = self._facet_counter.count_with(key, searcher, full, query.facet_limit, page)
                ids, total = one_pass.read_page(answer, query.offset)
                return SearchResult(ids=ids, total=total, facets=facets, message=parsed.message)
            # Counted on other threads while this one fetches the page and its snippets.
            wait_for_facets = self._facet_counter.start(key, searcher, full, query.facet_limit)
        if field is None:
            found = searcher.search(full, query.limit, count=True, offset=query.offset)
        else:
            order = tantivy.Order.Desc if query.effective_descending else tantivy.Order.Asc
            found = searcher.search(
                full, query.limit, count=True, order_by_field=field, offset=query.offset, order=order
            )
        addresses = [address for _, address in found.hits]
        ids = [int(i or 0) for i in searcher.fast_field_values("work_id", addresses)] if addresses else []
        result = SearchResult(ids=ids, total=int(getattr(found, "count", 0) or 0), message=parsed.message)
        if wait_for_facets is not None:
            result.facets = wait_for_facets()
        text_matches = [m for m in positive_matches(parsed.node) if m.field in (None, Field.TEXT)]
        analysed = [(analyze(m.text), m.phrase) for m in text_matches]
        analysed = [(words, phrase) for words, phrase in analysed if words]
        built = [self.q.match(m, fields=("text",), boost=False) for m in text_matches]
        snippet_parts = [p for p in built if p is not None]
        if snippet_parts and addresses:
            snippet_query = tantivy.Query.boolean_query([(tantivy.Occur.Should, p) for p in snippet_parts])
            generator = tantivy.SnippetGenerator.create(searcher, snippet_query, self.works.schema, "text")
            generator.set_max_num_chars(snippets.SNIPPET_CHARS)
            for work_id, address in zip(ids, addresses, strict=True):
                snippet = _snippet(generator, searcher.doc(address), analysed)
                if snippet is not None:
                    result.snippets[work_id] = snippet
        return result

    # --- tags ---------------------------------------------------------------------------
    def autocomplete_tags(
        self, text: str, limit: int = 10, kind: str | None = None, visibility: Visibility | None = None
    ) -> list[TagSuggestion]:
        typed = self.analyzer.analyze(text)
        if not typed or limit <= 0:
            return []
        schema = self.tags.schema
        audiences = list((visibility or Visibility()).audiences())
        kind_filter = [
            (tantivy.Occur.Must, tantivy.Query.term_set_query(schema, "audience", audiences)),
            *([(tantivy.Occur.Must, self._tags_q.term("kind", kind))] if kind else []),
        ]
        searcher = self._searcher("tags")

        def hits(query: tantivy.Query, n: int) -> list[TagEntry]:
            full = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), *kind_filter])
            found = searcher.search(full, n, count=False, order_by_field="uses")
            return [_tag_entry(searcher.doc(address)) for _, address in found.hits]

        joined = " ".join(typed)
        # The exact name, then names starting with the text, by uses: that order ranks first, so
        # when they fill the list no infix match is looked for.
        exact = hits(self._tags_q.term("name_key", joined), limit * 4)
        starting = tantivy.Query.regex_query(schema, "name_key", joined + ".*")
        fetch = limit * 2
        while True:
            prefixed = hits(starting, fetch)
            entries = {entry.tag_id: entry for entry in [*exact, *prefixed]}
            ranked = rank_suggestions(
                [(e, self.analyzer.analyze(e.name)) for e in entries.values()], typed, limit
            )
            more = len(prefixed) == fetch
            if len(ranked) >= limit:
                # Complete unless an unfetched name starting with the text ties the last one's uses.
                last = entries[ranked[-1].tag_id].uses
                if not more or prefixed[-1].uses < last:
                    return ranked
            elif not more:
                break
            fetch *= 4
        # Too few: words anywhere in the name.
        anywhere = tantivy.Query.phrase_prefix_query(schema, "name", list[str | tuple[int, str]](typed))
        entries.update({entry.tag_id: entry for entry in hits(anywhere, max(limit * 20, 200))})
        candidates = [(e, self.analyzer.analyze(e.name)) for e in entries.values()]
        return rank_suggestions(candidates, typed, limit)


def _tag_entry(stored: tantivy.Document) -> TagEntry:
    tag_id = int(stored.get_first("tag_id") or 0)
    canonical_id = int(stored.get_first("canonical_id") or 0)
    return TagEntry(
        tag_id,
        str(stored.get_first("name")),
        str(stored.get_first("kind")),
        None if canonical_id == tag_id else canonical_id,
        str(stored.get_first("canonical_name")),
        int(stored.get_first("uses") or 0),
    )


def _no_relevance(sort: Sort) -> Sort:
    return Sort.UPDATED if sort is Sort.RELEVANCE else sort


def _snippet(
    generator: tantivy.SnippetGenerator, stored: tantivy.Document, matches: list[tuple[list[str], bool]]
) -> Snippet | None:
    every_chapter = [str(t) for t in stored.get_all("text")]
    every_number = [int(n) for n in stored.get_all("chapter_numbers")]
    # The generator scores fragments by terms, not phrases: choose the chapter first, then let it
    # find the passage within that chapter alone.
    index = snippets.best_chapter(every_chapter, matches)
    if index is None:
        return None
    chapters, numbers = [every_chapter[index]], [every_number[index]]
    found = generator.snippet_from_doc(tantivy.Document(text=chapters))
    marks = [(h.start, h.end) for h in found.highlighted()]
    if not marks or not chapters:
        return None
    # Offsets are UTF-8 bytes into the chapter texts joined by one space (trimmed, say the docs;
    # leading space is in fact kept): find where the fragment really sits rather than trust either.
    joined = " ".join(chapters).encode()
    span = found.fragment_range()
    piece = found.fragment().encode()
    lead = len(joined) - len(joined.lstrip())
    candidates = [span.start, span.start + lead, joined.find(piece)]
    origin = next((c for c in candidates if c >= 0 and joined[c : c + len(piece)] == piece), -1)
    if origin < 0:
        return None
    first = origin + marks[0][0]
    starts, position = [], 0
    for text in chapters:
        starts.append(position)
        position += len(text.encode()) + 1
    index = max(i for i, s in enumerate(starts) if s <= first)
    chapter = chapters[index].encode()
    begin = max(origin - starts[index], 0)
    end = min(origin + len(piece) - starts[index], len(chapter))
    fragment = chapter[begin:end].decode("utf-8", "ignore")
    shift = origin - starts[index] - begin
    ranges = [(s + shift, e + shift) for s, e in marks if s + shift >= 0 and e + shift <= end - begin]
    char_ranges = snippets.byte_to_char_ranges(fragment, ranges)
    before = bool(chapter[:begin].strip())
    after = bool(chapter[end:].strip())
    return Snippet(numbers[index], snippets.render(fragment, char_ranges, before, after))
