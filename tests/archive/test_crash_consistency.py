"""Kill the indexer and an import mid-way, start again: the index agrees with the database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fanarchive.bench.corpus import CorpusGenerator
from fanarchive.domain.query import SearchQuery
from fanarchive.domain.work import works_to_json
from fanarchive.search.tantivy_backend import TantivyBackend

pytestmark = pytest.mark.slow


def _spawn(home: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "FANARCHIVE_SEARCH"))}
    env |= {"FANARCHIVE_HOME": str(home), "FANARCHIVE_SEARCH_BACKEND": "tantivy"}
    return subprocess.Popen(
        [sys.executable, "-m", "fanarchive.cli.main", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _database_ids(home: Path) -> set[int]:
    with sqlite3.connect(home / "fanarchive.sqlite3") as db:
        return {row[0] for row in db.execute("SELECT id FROM archive_work")}


def _index_ids(home: Path) -> set[int]:
    backend = TantivyBackend(home / "search")
    try:
        found: set[int] = set()
        page = 1
        while True:
            result = backend.search(SearchQuery(per_page=100, page=page, viewer_can_see_restricted=True))
            found |= set(result.ids)
            if page * 100 >= result.total:
                return found
            page += 1
    finally:
        backend.close()


def test_index_matches_database_after_kills(tmp_path: Path) -> None:
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    inbox.mkdir()
    generator = CorpusGenerator(seed=5, fandoms=20, freeforms=300)
    for number, work in enumerate(generator.works(80, max_chapter_words=300), start=1):
        (inbox / f"{number:03d}.json").write_text(works_to_json([work]))
    assert _spawn(home, "indexer", "--once").wait(timeout=120) == 0

    indexer = _spawn(home, "indexer", "--interval", "0.05")
    importer = _spawn(home, "import", str(inbox))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(_database_ids(home)) < 25:
        time.sleep(0.05)
    for process in (importer, indexer):
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    stored = _database_ids(home)
    assert 25 <= len(stored) < 80, "the kill should land in the middle of the import"

    assert _spawn(home, "indexer", "--once").wait(timeout=120) == 0
    assert _index_ids(home) == stored

    finisher = _spawn(home, "import", str(inbox))
    assert finisher.wait(timeout=300) == 0, finisher.stderr.read().decode() if finisher.stderr else ""
    assert _spawn(home, "indexer", "--once").wait(timeout=120) == 0
    assert len(_database_ids(home)) == 80
    assert _index_ids(home) == _database_ids(home)
