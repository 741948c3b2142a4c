"""The PostgreSQL backend's own tables, in their own schema, created (or rebuilt) on first use.

They are derived data like the tantivy index: a layout of another version is dropped and made
anew, and `fanarchive reindex` fills it from the database. Django's migrations never see them.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

# Bump when the layout changes: tables of another version are dropped and rebuilt empty.
SCHEMA_VERSION = 1
TABLES = ("works", "chapters", "passages", "facet_names", "tags")

_DDL = """
CREATE TABLE IF NOT EXISTS {s}.works (
    work_id integer PRIMARY KEY,
    title_v tsvector NOT NULL,
    author_v tsvector NOT NULL,
    summary_v tsvector NOT NULL,
    notes_v tsvector NOT NULL,
    tag_v tsvector NOT NULL,
    meta_v tsvector NOT NULL,
    body_v tsvector NOT NULL,
    filter_tags integer[] NOT NULL,
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
CREATE INDEX IF NOT EXISTS works_meta ON {s}.works USING gin (meta_v);
CREATE INDEX IF NOT EXISTS works_body ON {s}.works USING gin (body_v);
CREATE INDEX IF NOT EXISTS works_filter_tags ON {s}.works USING gin (filter_tags);
CREATE INDEX IF NOT EXISTS works_updated ON {s}.works (updated, work_id);
CREATE INDEX IF NOT EXISTS works_published ON {s}.works (published, work_id);
CREATE INDEX IF NOT EXISTS works_kudos ON {s}.works (kudos, work_id);
CREATE INDEX IF NOT EXISTS works_hits ON {s}.works (hits, work_id);
CREATE INDEX IF NOT EXISTS works_words ON {s}.works (words, work_id);
CREATE INDEX IF NOT EXISTS works_title ON {s}.works (title_key, work_id);
CREATE INDEX IF NOT EXISTS works_language ON {s}.works (language);
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
CREATE INDEX IF NOT EXISTS passages_words ON {s}.passages USING gin (words);
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
    words text NOT NULL
);
CREATE INDEX IF NOT EXISTS tags_kind ON {s}.tags (kind);
"""
# Infix autocomplete (LIKE '% pot%') uses a trigram index where pg_trgm can be had; without it
# the tags table is scanned, which stays quick for tens of thousands of tags.
_TRIGRAM = "CREATE INDEX IF NOT EXISTS tags_words ON {s}.tags USING gin (words gin_trgm_ops)"


def ensure(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> None:
    """Create the schema's tables if missing, or rebuild them if of another version (one
    transaction, serialised by an advisory lock so two processes starting together agree)."""
    s = sql.Identifier(schema)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"fanarchive-search:{schema}",))
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {s}").format(s=s))
        conn.execute(
            sql.SQL("CREATE TABLE IF NOT EXISTS {s}.meta (key text PRIMARY KEY, value text NOT NULL)").format(
                s=s
            )
        )
        row = conn.execute(sql.SQL("SELECT value FROM {s}.meta WHERE key = 'version'").format(s=s)).fetchone()
        if row is not None and row[0] == str(SCHEMA_VERSION):
            return
        for table in TABLES:
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {s}.{t}").format(s=s, t=sql.Identifier(table)))
        for statement in _DDL.split(";"):
            if statement.strip():
                conn.execute(sql.SQL(statement).format(s=s))
        if _has_trigrams(conn):
            conn.execute(sql.SQL(_TRIGRAM).format(s=s))
        conn.execute(
            sql.SQL(
                "INSERT INTO {s}.meta VALUES ('version', %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
            ).format(s=s),
            (str(SCHEMA_VERSION),),
        )


def _has_trigrams(conn: psycopg.Connection[tuple[object, ...]]) -> bool:
    try:
        with conn.transaction():
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except psycopg.Error:
        # Not allowed to create it (a role without CREATE on the database): do without.
        pass
    row = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()
    return row is not None
