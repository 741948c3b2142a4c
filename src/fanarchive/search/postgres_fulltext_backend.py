"""PostgreSQL full-text search: one store for deployments that want no index directory.

Tables (in their own schema, _pg_schema.py): `works`, one narrow row a work, with filter tag ids
as a GIN-indexed integer[], facet keys, counters, dates and sort keys, visibility flags and
language; `work_texts` beside it with a tsvector per searchable field, their weighted union
`meta_v` (title A, author and summary B, tags and notes C) and the chapter text `body_v`, both
GIN-indexed, joined only when the query has words to search. `chapters` keeps each
chapter's plain text for snippets, `passages` its words in slices small enough that PostgreSQL
keeps every position (phrases), `facet_names` the names facets show, `tags` autocomplete.

Writes go through one connection whose transaction commit() ends, so readers (their own
autocommit connection, one per thread) see them only then. Words are analysed in Python by the
same rules as the other backends and passed as tsvector/tsquery text in bound parameters.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from fanarchive.domain.query import Field, SearchQuery, positive_matches
from fanarchive.domain.visibility import Visibility
from fanarchive.search import _pg_query, _pg_schema
from fanarchive.search._common import rank_suggestions
from fanarchive.search._pg_snippets import snippet
from fanarchive.search._pg_vectors import (
    ALL_WORKS_KEY,
    TEXT_COLUMNS,
    WORK_COLUMNS,
    any_of,
    chapter_rows,
    facet_entries,
    tag_row,
    work_rows,
)
from fanarchive.search.analysis import analyze
from fanarchive.search.backend import FACET_KINDS
from fanarchive.search.documents import (
    FacetCount,
    SearchDocument,
    SearchResult,
    Snippet,
    TagEntry,
    TagSuggestion,
)

Connection = psycopg.Connection[tuple[object, ...]]
DEFAULT_SCHEMA = "fanarchive_search"


class PostgresBackend:
    def __init__(
        self,
        conninfo: str = "",
        schema: str = DEFAULT_SCHEMA,
        connect: Callable[[], Connection] | None = None,
    ) -> None:
        """conninfo: a libpq connection string or URL; or `connect`, a factory of new connections.
        The schema (created if missing) holds the backend's tables and nothing else."""
        self.conninfo, self.schema = conninfo, schema
        self._connect = connect or (lambda: psycopg.connect(conninfo))
        self._local = threading.local()
        self._readers: list[Connection] = []
        self._writer: Connection | None = None
        self._write_lock = threading.RLock()
        self._lock = threading.Lock()
        self._ready = False
        # Facet names this process knows are stored (committed) or written in the open transaction:
        # every work repeats its fandom's names, and upserting them all again made a 1M-work build
        # spend most of its time on the same few thousand rows.
        self._names_stored: dict[int, tuple[str, int, str]] = {}
        self._names_pending: dict[int, tuple[str, int, str]] = {}
        # clear() was called in the open write transaction: writes go to a schema of their own,
        # swapped in at commit.
        self._rebuilding = False

    # --- connections --------------------------------------------------------------------
    def _open(self, autocommit: bool) -> Connection:
        conn = self._connect()
        conn.autocommit = True
        with self._lock:
            if not self._ready:
                _pg_schema.ensure(conn, self.schema)
                self._ready = True
        # Unqualified names resolve to our tables; public stays for pg_trgm's operators.
        conn.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(self.schema)))
        # A large listing's estimated cost passes the JIT threshold, and compiling it took 40-50 ms
        # of a query that JIT did not speed up. Its bitmaps and facet counts go lossy or to disk at
        # the default 4 MB of memory.
        conn.execute("SET jit = off")
        conn.execute("SET work_mem = '32MB'")
        conn.autocommit = autocommit
        return conn

    def _reader(self) -> Connection:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.broken:
            conn = self._open(autocommit=True)
            self._local.conn = conn
            with self._lock:
                self._readers.append(conn)
        return conn

    @contextmanager
    def _writing(self) -> Iterator[psycopg.Cursor[tuple[object, ...]]]:
        """A cursor in the open write transaction. A failed write rolls back every write since
        the last commit (the caller sees the error and does its batch again)."""
        with self._write_lock:
            if self._writer is None or self._writer.closed or self._writer.broken:
                self._writer = self._open(autocommit=False)
            try:
                with self._writer.cursor() as cur:
                    yield cur
            except BaseException:
                self._names_pending.clear()
                self._rebuilding = False
                if not self._writer.closed:
                    self._writer.rollback()
                raise

    # --- writes -------------------------------------------------------------------------
    def index(self, docs: Iterable[SearchDocument]) -> None:
        latest = {doc.work_id: doc for doc in docs}
        if not latest:
            return
        facet_names: dict[int, tuple[str, int, str]] = {}
        works, texts, chapters, parts = [], [], [], []
        for doc in latest.values():
            entries = facet_entries(doc)
            facet_names.update({key: (kind, tag_id, name) for key, kind, tag_id, name in entries})
            tokens = [analyze(chapter.text) for chapter in doc.chapters]
            work, text = work_rows(doc, [key for key, *_rest in entries], tokens)
            works.append(work)
            texts.append(text)
            doc_chapters, doc_parts = chapter_rows(doc, tokens)
            chapters += doc_chapters
            parts += doc_parts
        with self._writing() as cur:
            self._delete_works(cur, list(latest))
            for table, columns, rows in (("works", WORK_COLUMNS, works), ("work_texts", TEXT_COLUMNS, texts)):
                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
                )
                with cur.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row)
            with cur.copy("COPY chapters (work_id, seq, number, text) FROM STDIN") as copy:
                for chapter in chapters:
                    copy.write_row(chapter)
            with cur.copy("COPY passages (work_id, seq, part, words) FROM STDIN") as copy:
                for part in parts:
                    copy.write_row(part)
            known = self._names_stored | self._names_pending
            fresh = {key: value for key, value in facet_names.items() if known.get(key) != value}
            if fresh:
                cur.executemany(
                    "INSERT INTO facet_names (key, kind, tag_id, name) VALUES (%s, %s, %s, %s)"
                    " ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name",
                    [(key, *value) for key, value in sorted(fresh.items())],
                )
                self._names_pending.update(fresh)

    @staticmethod
    def _delete_works(cur: psycopg.Cursor[tuple[object, ...]], ids: list[int]) -> None:
        for table in ("works", "work_texts", "chapters", "passages"):
            cur.execute(
                sql.SQL("DELETE FROM {} WHERE work_id = ANY(%s::integer[])").format(sql.Identifier(table)),
                (ids,),
            )

    def delete(self, work_ids: Iterable[int]) -> None:
        ids = list(work_ids)
        if ids:
            with self._writing() as cur:
                self._delete_works(cur, ids)

    def clear(self) -> None:
        # Not DELETE (a whole rebuild then pays GIN maintenance row by row and leaves a million dead
        # rows) nor TRUNCATE (readers would wait on its lock for the whole rebuild): new tables,
        # indexed once filled and swapped in at commit, while readers keep the old ones.
        with self._writing() as cur:
            if self._rebuilding:
                for table in _pg_schema.TABLES:
                    cur.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
            else:
                _pg_schema.begin_rebuild(cur, self.schema)
                self._rebuilding = True
        self._names_stored.clear()
        self._names_pending.clear()

    def index_tags(self, tags: Iterable[TagEntry]) -> None:
        rows = [tag_row(entry) for entry in {entry.tag_id: entry for entry in tags}.values()]
        if not rows:
            return
        with self._writing() as cur:
            cur.executemany(
                "INSERT INTO tags (tag_id, name, kind, canonical_id, canonical_name, uses, words, audiences)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s::integer[]) ON CONFLICT (tag_id) DO UPDATE SET"
                " name = EXCLUDED.name, kind = EXCLUDED.kind, canonical_id = EXCLUDED.canonical_id,"
                " canonical_name = EXCLUDED.canonical_name, uses = EXCLUDED.uses, words = EXCLUDED.words,"
                " audiences = EXCLUDED.audiences",
                rows,
            )

    def delete_tags(self, tag_ids: Iterable[int]) -> None:
        ids = list(tag_ids)
        if ids:
            with self._writing() as cur:
                cur.execute("DELETE FROM tags WHERE tag_id = ANY(%s::integer[])", (ids,))

    def commit(self) -> None:
        with self._write_lock:
            if self._writer is not None and not self._writer.closed:
                if self._rebuilding:
                    with self._writing() as cur:
                        _pg_schema.finish_rebuild(cur, self.schema)
                    self._rebuilding = False
                self._writer.commit()
                self._names_stored.update(self._names_pending)
            self._names_pending.clear()

    def count(self) -> int:
        row = self._reader().execute("SELECT count(*) FROM works").fetchone()
        return int(row[0]) if row else 0  # type: ignore[call-overload]

    def close(self) -> None:
        with self._write_lock:
            if self._writer is not None:
                # Uncommitted writes are dropped, as the other backends drop them.
                self._writer.close()
                self._writer = None
            self._names_pending.clear()
            self._rebuilding = False
        with self._lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        self._local = threading.local()

    # --- search -------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        parsed = query.parsed()
        where, searched = _pg_query.conditions(query)
        source = _pg_query.from_clause(searched)
        conn = self._reader()
        order, order_params = _pg_query.order_by(query, searched)
        page = conn.execute(
            sql.SQL("SELECT w.work_id FROM {} WHERE {} ORDER BY {} LIMIT %s OFFSET %s").format(
                source, where.sql(), order
            ),
            [*where.params, *order_params, query.limit, query.offset],
        ).fetchall()
        ids = [int(row[0]) for row in page]  # type: ignore[call-overload]
        result = SearchResult(ids=ids, total=0, message=parsed.message)
        if query.facets and query.facet_limit > 0:
            result.total, result.facets = self._count_and_facets(conn, source, where, query.facet_limit)
        else:
            total_row = conn.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE {}").format(source, where.sql()), where.params
            ).fetchone()
            result.total = int(total_row[0]) if total_row else 0  # type: ignore[call-overload]
            if query.facets:
                result.facets = {kind: [] for kind in FACET_KINDS}
        matches = [
            (analyze(m.text), m.phrase)
            for m in positive_matches(parsed.node)
            if m.field in (None, Field.TEXT)
        ]
        matches = [(words, is_phrase) for words, is_phrase in matches if words]
        if matches and ids:
            result.snippets = self._snippets(conn, ids, matches)
        return result

    @staticmethod
    def _count_and_facets(
        conn: Connection, source: sql.Composable, where: _pg_query.Condition, limit: int
    ) -> tuple[int, dict[str, list[FacetCount]]]:
        """The total and the top `limit` tags of each kind, in one pass over the matching rows."""
        facets: dict[str, list[FacetCount]] = {kind: [] for kind in FACET_KINDS}
        # Ranked by count alone first (a kind's key shifted right is its place in FACET_KINDS), so
        # only the keys that can still be among the top `limit` (ties included) look up their names;
        # then ties break by "name\x1fid" in code point order, as the other backends break them.
        rows = conn.execute(
            sql.SQL(
                "WITH counted AS (SELECT key, count(*) AS n FROM {}, unnest(w.facets) AS key"
                " WHERE {} GROUP BY key),"
                " near AS (SELECT key, n FROM (SELECT key, n, rank() OVER (PARTITION BY key >> 32"
                " ORDER BY n DESC) AS r FROM counted WHERE key <> %s) c WHERE r <= %s),"
                " ranked AS (SELECT f.kind, f.tag_id, f.name, c.n, row_number() OVER (PARTITION BY f.kind"
                ' ORDER BY c.n DESC, (f.name || chr(31) || f.tag_id::text) COLLATE "C") AS place'
                " FROM near c JOIN facet_names f ON f.key = c.key)"
                " SELECT kind, tag_id, name, n FROM ranked WHERE place <= %s"
                " UNION ALL SELECT NULL, NULL, NULL, n FROM counted WHERE key = %s"
            ).format(source, where.sql()),
            [*where.params, ALL_WORKS_KEY, limit, limit, ALL_WORKS_KEY],
        ).fetchall()
        total = 0
        for kind, tag_id, name, n in sorted(rows, key=_facet_order):
            if kind is None:
                total = int(n)  # type: ignore[call-overload]
            else:
                facets[str(kind)].append(FacetCount(int(tag_id), str(name), int(n)))  # type: ignore[call-overload]
        return total, facets

    @staticmethod
    def _snippets(
        conn: Connection, ids: list[int], matches: list[tuple[list[str], bool]]
    ) -> dict[int, Snippet]:
        # Only chapters holding one of the words come back: the rest could not be chosen anyway.
        rows = conn.execute(
            "SELECT c.work_id, c.number, c.text FROM chapters c WHERE c.work_id = ANY(%s::integer[])"
            " AND EXISTS (SELECT 1 FROM passages p WHERE p.work_id = c.work_id AND p.seq = c.seq"
            " AND p.words @@ %s::tsquery) ORDER BY c.work_id, c.seq",
            (ids, any_of(word for words, _phrase in matches for word in words)),
        ).fetchall()
        chapters: dict[int, list[tuple[int, str]]] = {}
        for work_id, number, text in rows:
            chapters.setdefault(int(work_id), []).append((int(number), str(text)))  # type: ignore[call-overload]
        found = {}
        for work_id, texts in chapters.items():
            made = snippet(texts, matches)
            if made is not None:
                found[work_id] = made
        return found

    # --- tags ---------------------------------------------------------------------------
    def autocomplete_tags(
        self, text: str, limit: int = 10, kind: str | None = None, visibility: Visibility | None = None
    ) -> list[TagSuggestion]:
        typed = analyze(text)
        audiences = list((visibility or Visibility()).audiences())
        if not typed or limit <= 0:
            return []
        joined = " " + " ".join(typed)
        escaped = joined.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        kind_filter = "AND kind = %s" if kind else ""
        fetch = limit * 4 + 20
        while True:
            # Exact names, then names starting with the words, then the rest, by uses: the order
            # rank_suggestions keeps, so a few more than asked leave room for synonyms folding.
            rows = (
                self._reader()
                .execute(
                    sql.SQL(
                        "SELECT tag_id, name, kind, canonical_id, canonical_name, uses, words FROM tags"
                        " WHERE words LIKE %s AND audiences && %s::integer[] {} ORDER BY words = %s DESC, words LIKE %s DESC, uses DESC,"
                        ' lower(name) COLLATE "C", tag_id LIMIT %s'
                    ).format(sql.SQL(kind_filter)),
                    [f"%{escaped}%", audiences, *([kind] if kind else []), joined, f"{escaped}%", fetch],
                )
                .fetchall()
            )
            candidates = [
                (
                    TagEntry(int(r[0]), str(r[1]), str(r[2]), _int(r[3]), _str(r[4]), int(r[5])),  # type: ignore[call-overload]
                    str(r[6]).split(),
                )
                for r in rows
            ]
            suggestions = rank_suggestions(candidates, typed, limit)
            if len(suggestions) >= limit or len(rows) < fetch:
                return suggestions
            fetch *= 4


def _facet_order(row: tuple[object, ...]) -> tuple[object, ...]:
    """Facet rows as the query ranked them: by count, then by name and id in code point order."""
    _kind, tag_id, name, n = row
    return (-int(n), f"{name}\x1f{tag_id}")  # type: ignore[call-overload]


def _int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def _str(value: object) -> str | None:
    return None if value is None else str(value)
