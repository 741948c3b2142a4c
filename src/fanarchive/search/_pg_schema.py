"""The PostgreSQL backend's own tables, in their own schema, created (or rebuilt) on first use.

They are derived data like the tantivy index: a layout of another version is dropped and made
anew, and `fanarchive reindex` fills it from the database. Django's migrations never see them.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

# Bump when the layout changes: tables of another version are dropped and rebuilt empty.
SCHEMA_VERSION = 4
TABLES = ("works", "work_texts", "chapters", "passages", "facet_names", "tags")

# A listing reads every matching row of `works` (its count and facets), so `works` holds only what
# listings filter, sort and count by (about 350 bytes a row); the tsvectors, read only by text
# searches, live in `work_texts`. Together they made 1.7 KB rows (a 1.7 GB table at 1M works, now
# 0.35 GB), and counting a large fandom's works (95k of 1M) read twice the pages it reads now.
_TABLES = """
CREATE TABLE IF NOT EXISTS {s}.works (
    work_id integer PRIMARY KEY,
    filter_tags integer[] NOT NULL,
    creators integer[] NOT NULL,
    facets bigint[] NOT NULL,
    language text NOT NULL,
    complete boolean NOT NULL,
    crossover boolean NOT NULL,
    words bigint NOT NULL,
    kudos bigint NOT NULL,
    hits bigint NOT NULL,
    comments bigint NOT NULL,
    bookmarks bigint NOT NULL,
    published date NOT NULL,
    updated date NOT NULL,
    title_key text COLLATE "C" NOT NULL,
    author_key text COLLATE "C" NOT NULL,
    restricted boolean NOT NULL,
    posted boolean NOT NULL,
    hidden boolean NOT NULL
);
CREATE TABLE IF NOT EXISTS {s}.work_texts (
    work_id integer PRIMARY KEY,
    title_v tsvector NOT NULL,
    author_v tsvector NOT NULL,
    summary_v tsvector NOT NULL,
    notes_v tsvector NOT NULL,
    tag_v tsvector NOT NULL,
    meta_v tsvector NOT NULL,
    body_v tsvector NOT NULL
);
CREATE TABLE IF NOT EXISTS {s}.chapters (
    work_id integer NOT NULL,
    seq integer NOT NULL,
    number integer NOT NULL,
    text text NOT NULL,
    PRIMARY KEY (work_id, seq)
);
CREATE TABLE IF NOT EXISTS {s}.passages (
    work_id integer NOT NULL,
    seq integer NOT NULL,
    part integer NOT NULL,
    words tsvector NOT NULL,
    PRIMARY KEY (work_id, seq, part)
);
CREATE TABLE IF NOT EXISTS {s}.facet_names (
    key bigint PRIMARY KEY,
    kind text NOT NULL,
    tag_id integer NOT NULL,
    name text NOT NULL
);
CREATE TABLE IF NOT EXISTS {s}.tags (
    tag_id integer PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,
    canonical_id integer,
    canonical_name text,
    uses bigint NOT NULL,
    words text NOT NULL,
    audiences integer[] NOT NULL
);
"""
# Secondary indexes: made with the tables, or, on a rebuild, once the rows are in (one sorted
# build each instead of a GIN insertion per row).
_INDEXES = """
CREATE INDEX IF NOT EXISTS work_texts_meta ON {s}.work_texts USING gin (meta_v);
CREATE INDEX IF NOT EXISTS work_texts_body ON {s}.work_texts USING gin (body_v);
CREATE INDEX IF NOT EXISTS works_filter_tags ON {s}.works USING gin (filter_tags);
CREATE INDEX IF NOT EXISTS works_updated ON {s}.works (updated, work_id);
CREATE INDEX IF NOT EXISTS works_published ON {s}.works (published, work_id);
CREATE INDEX IF NOT EXISTS works_kudos ON {s}.works (kudos, work_id);
CREATE INDEX IF NOT EXISTS works_hits ON {s}.works (hits, work_id);
CREATE INDEX IF NOT EXISTS works_words ON {s}.works (words, work_id);
CREATE INDEX IF NOT EXISTS works_title ON {s}.works (title_key, work_id);
CREATE INDEX IF NOT EXISTS works_language ON {s}.works (language);
CREATE INDEX IF NOT EXISTS passages_words ON {s}.passages USING gin (words);
CREATE INDEX IF NOT EXISTS tags_kind ON {s}.tags (kind);
"""
# Infix autocomplete (LIKE '% pot%') uses a trigram index where pg_trgm can be had; without it
# the tags table is scanned, which stays quick for tens of thousands of tags.
_TRIGRAM = "CREATE INDEX IF NOT EXISTS tags_words ON {s}.tags USING gin (words gin_trgm_ops)"

Cursor = psycopg.Cursor[tuple[object, ...]]


def rebuild_schema(schema: str) -> str:
    """Where a rebuild writes until it commits (its tables then move into the schema)."""
    return f"{schema}__rebuild"


def _run(cur: Cursor, script: str, schema: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            cur.execute(sql.SQL(statement).format(s=sql.Identifier(schema)))


def _create_meta(cur: Cursor, schema: str) -> None:
    s = sql.Identifier(schema)
    cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {s}").format(s=s))
    cur.execute(
        sql.SQL("CREATE TABLE IF NOT EXISTS {s}.meta (key text PRIMARY KEY, value text NOT NULL)").format(s=s)
    )


def _stamp(cur: Cursor, schema: str) -> None:
    cur.execute(
        sql.SQL(
            "INSERT INTO {s}.meta VALUES ('version', %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
        ).format(s=sql.Identifier(schema)),
        (str(SCHEMA_VERSION),),
    )


def _lock(cur: Cursor, schema: str) -> None:
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"fanarchive-search:{schema}",))


def ensure(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> None:
    """Create the schema's tables if missing, or rebuild them if of another version (one
    transaction, serialised by an advisory lock so two processes starting together agree)."""
    with conn.transaction(), conn.cursor() as cur:
        _lock(cur, schema)
        _create_meta(cur, schema)
        s = sql.Identifier(schema)
        row = cur.execute(sql.SQL("SELECT value FROM {s}.meta WHERE key = 'version'").format(s=s)).fetchone()
        if row is not None and row[0] == str(SCHEMA_VERSION):
            return
        for table in TABLES:
            cur.execute(sql.SQL("DROP TABLE IF EXISTS {s}.{t}").format(s=s, t=sql.Identifier(table)))
        _run(cur, _TABLES, schema)
        _create_indexes(cur, schema)
        _stamp(cur, schema)


def _create_indexes(cur: Cursor, schema: str) -> None:
    _run(cur, _INDEXES, schema)
    if _has_trigrams(cur):
        _run(cur, _TRIGRAM, schema)


def begin_rebuild(cur: Cursor, schema: str) -> None:
    """Start writing a whole new index, in the write transaction: empty tables with their primary
    keys alone, in a schema of their own, which the cursor's connection writes to from now on.

    Readers keep the old tables until finish_rebuild swaps them in at commit. Other writers (and a
    second rebuild) wait for that commit, so no change is lost with the old tables: theirs then
    land in the new ones. `works` is locked first, as every writer touches it first, so neither
    waits on the other. (No advisory lock: ensure() in a process starting meanwhile must not wait.)
    """
    s = sql.Identifier(schema)
    cur.execute(
        sql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(
            sql.SQL(", ").join(sql.SQL("{s}.{t}").format(s=s, t=sql.Identifier(t)) for t in TABLES)
        )
    )
    new = rebuild_schema(schema)
    cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(new)))
    _create_meta(cur, new)
    _run(cur, _TABLES, new)
    _stamp(cur, new)
    # SET, not SET LOCAL: it must outlast the statement; a rollback undoes it with the rest.
    cur.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(new)))


def finish_rebuild(cur: Cursor, schema: str) -> None:
    """Index the rebuilt tables, give the planner their statistics, and put them in the old ones'
    place; the caller commits."""
    new = rebuild_schema(schema)
    # GIN and btree builds sort in memory up to this much; the default 64 MB spills to disk.
    cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
    _create_indexes(cur, new)
    for table in TABLES:
        cur.execute(sql.SQL("ANALYZE {s}.{t}").format(s=sql.Identifier(new), t=sql.Identifier(table)))
    # Table by table, never the schema itself: whatever else someone keeps there stays.
    for table in TABLES:
        t = sql.Identifier(table)
        cur.execute(sql.SQL("DROP TABLE {s}.{t}").format(s=sql.Identifier(schema), t=t))
        cur.execute(
            sql.SQL("ALTER TABLE {n}.{t} SET SCHEMA {s}").format(
                n=sql.Identifier(new), t=t, s=sql.Identifier(schema)
            )
        )
    cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(new)))
    cur.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(schema)))


def _has_trigrams(cur: Cursor) -> bool:
    try:
        with cur.connection.transaction():
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    except psycopg.Error:
        # Not allowed to create it (a role without CREATE on the database): do without.
        pass
    row = cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()
    return row is not None
