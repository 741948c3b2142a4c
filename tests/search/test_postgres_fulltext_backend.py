"""What the PostgreSQL backend must get right beyond the contract: PostgreSQL's own limits
(positions, vector size), text that looks like SQL or tsquery syntax, other processes' view."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from fanarchive.domain.query import SearchQuery
from fanarchive.search import _pg_vectors
from fanarchive.search.documents import ChapterText, SearchDocument, TagEntry
from fanarchive.search.postgres_fulltext_backend import PostgresBackend

from .conftest import BACKENDS


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[PostgresBackend]:
    backend = BACKENDS["postgres"](tmp_path)
    assert isinstance(backend, PostgresBackend)
    yield backend
    backend.close()


def twin(backend: PostgresBackend) -> PostgresBackend:
    """Another backend on the same tables, as another process would open them."""
    return PostgresBackend(backend.conninfo, schema=backend.schema)


def test_a_phrase_deep_in_a_long_chapter_and_on_a_passage_seam_is_found(pg: PostgresBackend) -> None:
    # 30,000 words: past PostgreSQL's last position (16383) and far past the 256 positions it
    # keeps for "the"; the second phrase straddles the seam between the first two passages.
    filler = "the tide and the moon and the gulls over the harbour " * 3000
    seam = _pg_vectors.PASSAGE_TOKENS - 3
    words = filler.split()
    words[seam : seam + 6] = "the kettle sang its copper song".split()
    text = " ".join(words) + " then he burns the letter at dawn"
    pg.index([SearchDocument(1, "Long Tide", ["x"], chapters=[ChapterText(1, "", text)])])
    pg.commit()
    for phrase in ('"burns the letter"', '"kettle sang its copper song"'):
        result = pg.search(SearchQuery(text=phrase))
        assert result.ids == [1], phrase
        assert result.snippets[1].chapter == 1
    assert "<mark>letter</mark>" in pg.search(SearchQuery(text='"burns the letter"')).snippets[1].html
    assert pg.search(SearchQuery(text='"letter burns"')).ids == []


def test_text_that_looks_like_sql_or_tsquery_syntax_is_only_words(pg: PostgresBackend) -> None:
    title = "O'Brien's \\ Tale: a & b | !c <-> d"
    pg.index([SearchDocument(1, title, ["Ann"], summary="x'); DROP TABLE works; --")])
    pg.index_tags([TagEntry(5, "100% O'Brien_fan", "freeform")])
    pg.commit()
    for text in ("o'brien's", 'title:"o brien"', "'; drop table works; --", "a & b", "!c <-> d", "\\"):
        pg.search(SearchQuery(text=text))  # never a syntax error
    assert pg.search(SearchQuery(text="o'brien's")).ids == [1]
    assert pg.search(SearchQuery(text="drop table works")).ids == [1]
    assert pg.search(SearchQuery(text="'; drop table")).ids == [1]
    assert pg.count() == 1
    assert [s.name for s in pg.autocomplete_tags("o'brien")] == ["100% O'Brien_fan"]
    assert pg.autocomplete_tags("%") == [] and pg.autocomplete_tags("_") == []


def test_other_connections_see_writes_only_after_commit(pg: PostgresBackend) -> None:
    reader = twin(pg)
    try:
        pg.index([SearchDocument(1, "Lantern", ["x"])])
        assert reader.search(SearchQuery(text="lantern")).ids == []
        pg.commit()
        assert reader.search(SearchQuery(text="lantern")).ids == [1]
        pg.clear()
        assert reader.count() == 1  # a rebuild in progress leaves the old index readable
        pg.commit()
        assert reader.count() == 0
    finally:
        reader.close()


def test_a_rebuild_swaps_in_whole_at_commit_and_keeps_other_writers_changes(pg: PostgresBackend) -> None:
    pg.index([SearchDocument(n, f"Old {n}", ["x"], kudos=n) for n in range(1, 4)])
    pg.index_tags([TagEntry(9, "Old Tag", "freeform")])
    pg.commit()
    with psycopg.connect(pg.conninfo, autocommit=True) as conn:
        # Not ours, in our schema (someone pointed FANARCHIVE_SEARCH_SCHEMA at a busy one): kept.
        conn.execute(sql.SQL("CREATE TABLE {}.notes (body text)").format(sql.Identifier(pg.schema)))
        conn.execute(sql.SQL("INSERT INTO {}.notes VALUES ('still here')").format(sql.Identifier(pg.schema)))
    reader, writer = twin(pg), twin(pg)
    try:
        for _ in range(8):  # past psycopg's prepare threshold: the reader's statements are prepared
            assert reader.search(SearchQuery(text="old", facets=True)).total == 3
        pg.clear()
        pg.index([SearchDocument(n, f"New {n}", ["x"], kudos=n) for n in range(1, 3)])
        assert reader.search(SearchQuery(text="old")).total == 3  # the old tables, still whole
        # Another process's change meanwhile waits for the rebuild, then lands in the new tables.
        done = threading.Event()

        def change() -> None:
            writer.index([SearchDocument(7, "Late Change", ["x"])])
            writer.commit()
            done.set()

        thread = threading.Thread(target=change)
        thread.start()
        assert not done.wait(0.5)
        pg.index_tags([TagEntry(10, "New Tag", "freeform")])
        pg.commit()
        thread.join(10)
        assert done.is_set()
        assert reader.search(SearchQuery(text="old")).total == 0
        assert sorted(reader.search(SearchQuery()).ids) == [1, 2, 7]
        assert reader.search(SearchQuery(text="late")).ids == [7]
        assert [s.name for s in reader.autocomplete_tags("tag")] == ["New Tag"]
        # The new tables have their indexes and the planner its statistics.
        with psycopg.connect(pg.conninfo, autocommit=True) as conn:
            indexes = conn.execute(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND indexname = 'works_filter_tags'",
                (pg.schema,),
            ).fetchone()
            analysed = conn.execute(
                "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables"
                " WHERE schemaname = %s AND relname = 'works'",
                (pg.schema,),
            ).fetchone()
            leftovers = conn.execute(
                "SELECT count(*) FROM pg_namespace WHERE nspname = %s", (pg.schema + "__rebuild",)
            ).fetchone()
            kept = conn.execute(
                sql.SQL("SELECT body FROM {}.notes").format(sql.Identifier(pg.schema))
            ).fetchone()
        assert indexes == (1,) and analysed == (True,) and leftovers == (0,)
        assert kept == ("still here",)
    finally:
        reader.close()
        writer.close()


def test_a_rebuild_that_fails_or_is_abandoned_leaves_the_old_index(pg: PostgresBackend) -> None:
    pg.index([SearchDocument(1, "Kept", ["x"])])
    pg.commit()
    pg.clear()
    pg.index([SearchDocument(2, "Half", ["x"])])
    with pytest.raises(psycopg.errors.NumericValueOutOfRange):
        pg.index([SearchDocument(5, "Too many kudos", ["x"], kudos=2**70)])
    # The failure rolled the rebuild back: the next writes go to the live tables again.
    pg.index([SearchDocument(3, "After", ["x"])])
    pg.commit()
    assert sorted(pg.search(SearchQuery()).ids) == [1, 3]
    pg.clear()
    pg.index([SearchDocument(4, "Abandoned", ["x"])])
    pg.close()
    fresh = twin(pg)
    try:
        assert sorted(fresh.search(SearchQuery()).ids) == [1, 3]
    finally:
        fresh.close()


def test_a_failed_write_rolls_back_and_the_next_batch_works(pg: PostgresBackend) -> None:
    pg.index([SearchDocument(1, "Kept", ["x"])])
    pg.commit()
    pg.index([SearchDocument(2, "Lost", ["x"])])
    with pytest.raises(ValueError, match="outside"):
        pg.index([SearchDocument(0, "Bad id", ["x"])])
    with pytest.raises(psycopg.errors.NumericValueOutOfRange):
        pg.index([SearchDocument(3, "Too many kudos", ["x"], kudos=2**70)])
    pg.index([SearchDocument(4, "Again", ["x"])])
    pg.commit()
    assert sorted(pg.search(SearchQuery()).ids) == [1, 4]


def test_tables_of_another_layout_version_are_rebuilt(pg: PostgresBackend) -> None:
    pg.index([SearchDocument(1, "Old", ["x"])])
    pg.commit()
    with psycopg.connect(pg.conninfo, autocommit=True) as conn:
        conn.execute(
            sql.SQL("UPDATE {}.meta SET value = '0' WHERE key = 'version'").format(sql.Identifier(pg.schema))
        )
    fresh = twin(pg)
    try:
        assert fresh.count() == 0
        fresh.index([SearchDocument(2, "New", ["x"])])
        fresh.commit()
        assert fresh.search(SearchQuery(text="new")).ids == [2]
    finally:
        fresh.close()


def test_nul_characters_and_a_tag_in_two_kinds(pg: PostgresBackend) -> None:
    doc = SearchDocument(
        1,
        "Nul\x00l Title",
        ["x"],
        chapters=[ChapterText(1, "", "a lamp\x00 in the window")],
        tags={"fandom": [(7, "Seven")], "character": [(7, "Seven")]},
    )
    pg.index([doc])
    pg.commit()
    result = pg.search(SearchQuery(text="lamp", facets=True))
    assert result.ids == [1]
    assert result.snippets[1].html == "a <mark>lamp</mark> in the window"
    assert [f.count for f in result.facets["fandom"]] == [1]
    assert [f.count for f in result.facets["character"]] == [1]


def test_vectors_keep_postgresql_limits() -> None:
    vector = _pg_vectors.Vector().add_tokens(["echo"] * 20_000 + ["late"])
    literal = vector.literal()
    positions = literal.split(" ")[0].split(":")[1].split(",")
    assert len(positions) == _pg_vectors.MAX_POSITIONS
    assert literal.endswith("'late':16383")  # past the last position, still findable as a word
    big = _pg_vectors.Vector().add_tokens([f"w{i}" for i in range(120_000)])
    stripped = big.literal()
    assert len(stripped.encode()) <= _pg_vectors.MAX_VECTOR_BYTES and ":" not in stripped


def test_passages_cover_every_token_and_overlap() -> None:
    size, overlap = _pg_vectors.PASSAGE_TOKENS, _pg_vectors.PASSAGE_OVERLAP
    for n, count in ((0, 0), (1, 1), (size, 1), (size + 1, 2), (2 * size + 7, 3)):
        tokens = [str(i) for i in range(n)]
        parts = _pg_vectors.passages(tokens)
        assert len(parts) == count
        assert {t for part in parts for t in part} == set(tokens)
        assert all(len(part) <= size for part in parts)
        assert all(a[-overlap:] == b[:overlap] for a, b in itertools.pairwise(parts))
