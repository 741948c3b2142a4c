"""Backends under contract, and the small hand-made archive every contract test searches.

To put another backend under the contract, add a factory to BACKENDS: it gets a fresh
temporary directory and returns an empty backend.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from fanarchive.search.backend import SearchBackend
from fanarchive.search.documents import ChapterText, SearchDocument, TagEntry
from fanarchive.search.memory_backend import MemoryBackend
from fanarchive.search.postgres_fulltext_backend import PostgresBackend
from fanarchive.search.tantivy_backend import TantivyBackend

BackendFactory = Callable[[Path], SearchBackend]

POSTGRES_URL = os.environ.get(
    "FANARCHIVE_TEST_DATABASE_URL", "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
)
# The server's maintenance database: the URL's own may not exist yet (Django makes test_<name>).
ADMIN_URL = psycopg.conninfo.make_conninfo(POSTGRES_URL, dbname="postgres")
_postgres_database: list[str] = []  # the throwaway database, made on first use


def _postgres(tmp: Path) -> SearchBackend:
    """A backend in a fresh schema of a throwaway database, dropped when the tests end."""
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL answers at FANARCHIVE_TEST_DATABASE_URL ({error})")
    with admin:
        if not _postgres_database:
            name = f"fanarchive_search_test_{uuid.uuid4().hex[:12]}"
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            _postgres_database.append(name)
            atexit.register(_drop_postgres_database, name)
    url = psycopg.conninfo.make_conninfo(POSTGRES_URL, dbname=_postgres_database[0])
    return PostgresBackend(url, schema=f"contract_{uuid.uuid4().hex[:12]}")


def _drop_postgres_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


BACKENDS: dict[str, BackendFactory] = {
    "memory": lambda tmp: MemoryBackend(),
    "tantivy": lambda tmp: TantivyBackend(tmp / "index"),
    "postgres": _postgres,
}

# Tag ids of the corpus.
MATURE, GENERAL, TEEN = 1, 2, 3
NO_WARNINGS = 10
GEN, FF = 20, 21
FANDOM_A, FANDOM_B = 100, 101
SHIP = 200
FOUND_FAMILY, TIME_TRAVEL = 300, 301
FAMILY_META = 900  # a meta tag of Found Family: only in filter_tag_ids

VISIBLE = {1, 2, 3, 7, 8}  # to an anonymous reader
D = dt.date


def corpus() -> list[SearchDocument]:
    return [
        SearchDocument(
            1,
            "The Dragon's Lair",
            ["Ann Author"],
            "A knight meets a dragon.",
            chapters=[
                ChapterText(1, "North", "The knight rode north through the snow."),
                ChapterText(2, "Lair", "In the lair the ancient beast slept beside its gold."),
            ],
            filter_tag_ids=[MATURE, NO_WARNINGS, GEN, FANDOM_A, FOUND_FAMILY, FAMILY_META],
            tag_names=["Mature", "No Archive Warnings Apply", "Gen", "Fandom A", "Found Family"],
            tags={
                "rating": [(MATURE, "Mature")],
                "warning": [(NO_WARNINGS, "No Archive Warnings Apply")],
                "category": [(GEN, "Gen")],
                "fandom": [(FANDOM_A, "Fandom A")],
                "freeform": [(FOUND_FAMILY, "Found Family")],
            },
            language="en",
            complete=True,
            words=5000,
            kudos=50,
            hits=1000,
            comments=5,
            bookmarks=7,
            published=D(2020, 1, 1),
            updated=D(2020, 6, 1),
        ),
        SearchDocument(
            2,
            "Winter Tea",
            ["Bob Writer"],
            "Two friends share tea in winter.",
            chapters=[
                ChapterText(
                    1, "", 'A dragon appears only here, in the body. He wrote "x < y & z" on the board.'
                )
            ],
            filter_tag_ids=[GENERAL, FF, FANDOM_A, SHIP],
            tag_names=["General Audiences", "F/F", "Fandom A", "Alice/Beth"],
            tags={
                "rating": [(GENERAL, "General Audiences")],
                "category": [(FF, "F/F")],
                "fandom": [(FANDOM_A, "Fandom A")],
                "relationship": [(SHIP, "Alice/Beth")],
            },
            language="en",
            words=1200,
            kudos=120,
            hits=300,
            comments=40,
            bookmarks=2,
            published=D(2021, 3, 5),
            updated=D(2022, 1, 1),
        ),
        SearchDocument(
            3,
            "Crossing Over",
            ["Cat Crafter", "Ann Author"],
            "Heroes of two worlds meet.",
            chapters=[ChapterText(1, "Door", "The red door opened onto the sea. Le café était fermé.")],
            filter_tag_ids=[TEEN, FANDOM_A, FANDOM_B, TIME_TRAVEL],
            tag_names=["Teen And Up Audiences", "Fandom A", "Fandom B", "Time Travel"],
            tags={
                "rating": [(TEEN, "Teen And Up Audiences")],
                "fandom": [(FANDOM_A, "Fandom A"), (FANDOM_B, "Fandom B")],
                "freeform": [(TIME_TRAVEL, "Time Travel")],
            },
            language="fr",
            complete=True,
            crossover=True,
            words=20000,
            kudos=10,
            hits=5000,
            comments=1,
            bookmarks=30,
            published=D(2019, 5, 5),
            updated=D(2023, 2, 2),
        ),
        SearchDocument(
            4,
            "Quiet Hours",
            ["Dee"],
            "Members only.",
            chapters=[ChapterText(1, "", "A secret dragon sleeps.")],
            filter_tag_ids=[GENERAL, FANDOM_A],
            tags={"rating": [(GENERAL, "General Audiences")], "fandom": [(FANDOM_A, "Fandom A")]},
            language="en",
            restricted=True,
            words=300,
            kudos=1,
            updated=D(2024, 1, 1),
        ),
        SearchDocument(
            5,
            "Draft Work",
            ["Dee"],
            "Not posted.",
            chapters=[ChapterText(1, "", "An unfinished dragon draft.")],
            filter_tag_ids=[GENERAL, FANDOM_A],
            tags={"rating": [(GENERAL, "General Audiences")]},
            language="en",
            posted=False,
        ),
        SearchDocument(
            6,
            "Hidden Work",
            ["Dee"],
            "Hidden by an admin.",
            chapters=[ChapterText(1, "", "A hidden dragon.")],
            filter_tag_ids=[GENERAL, FANDOM_A],
            tags={"rating": [(GENERAL, "General Audiences")]},
            language="en",
            hidden=True,
            restricted=True,
        ),
        SearchDocument(
            7,
            "Sea Song",
            ["Eve"],
            "Notes about the ocean.",
            notes="Thanks to my beta for the dragon joke.",
            chapters=[ChapterText(1, "", "Waves and waves.")],
            filter_tag_ids=[GENERAL, FANDOM_B, FOUND_FAMILY, FAMILY_META],
            tag_names=["General Audiences", "Fandom B", "Found Family", "found families"],
            tags={
                "rating": [(GENERAL, "General Audiences")],
                "fandom": [(FANDOM_B, "Fandom B")],
                "freeform": [(FOUND_FAMILY, "Found Family")],
            },
            language="en",
            complete=True,
            words=800,
            kudos=300,
            hits=20,
            comments=12,
            bookmarks=3,
            published=D(2022, 7, 7),
            updated=D(2022, 8, 8),
        ),
        SearchDocument(
            8,
            "an Untitled Thing",
            ["zed"],
            "",
            language="de",
            words=42,
            kudos=0,
            hits=1,
            comments=0,
            bookmarks=0,
            published=D(2018, 1, 1),
            updated=D(2018, 2, 2),
        ),
    ]


TAGS = [
    TagEntry(1000, "Harry Potter - J. K. Rowling", "fandom", uses=500),
    TagEntry(1001, "HP", "fandom", 1000, "Harry Potter - J. K. Rowling"),
    TagEntry(1002, "Harry Potter (Movies)", "fandom", 1000, "Harry Potter - J. K. Rowling", uses=5),
    TagEntry(1003, "Harry Potter", "character", uses=300),
    TagEntry(1004, "Potterwatch", "freeform", uses=1),
    TagEntry(1005, "Hurt/Comfort", "freeform", uses=900),
    TagEntry(1006, "Harrowing Tales", "freeform", uses=2),
]


@pytest.fixture(params=sorted(BACKENDS))
def empty_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    backend = BACKENDS[request.param](tmp_path)
    yield backend
    backend.close()


@pytest.fixture
def backend(empty_backend: SearchBackend) -> SearchBackend:
    empty_backend.index(corpus())
    empty_backend.index_tags(TAGS)
    empty_backend.commit()
    return empty_backend
