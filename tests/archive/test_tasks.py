"""Background tasks: hits reach the search index through the outbox, once per batch of visits, and
the worker process really runs queued tasks."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from huey.contrib.djhuey import HUEY

from fanarchive.archive.actions.hits import do_record_hit
from fanarchive.archive.models import SearchOutbox, Work, WorkHit
from fanarchive.archive.tasks import purge_old_hits, refresh_hit_counters

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(autouse=True)
def fresh_task_store() -> Iterator[None]:
    # Immediate mode gives huey an in-memory store, so no watermark leaks between tests.
    HUEY.immediate = True
    yield
    HUEY.immediate = False


def outbox_work_ids() -> list[int]:
    return sorted(SearchOutbox.objects.values_list("work_id", flat=True))


def test_hits_are_passed_to_the_outbox_once(make_work: Callable[..., Work]) -> None:
    read, unread = make_work("Read Often"), make_work("Never Opened")
    SearchOutbox.objects.all().delete()
    assert do_record_hit(read, "visitor-a", TODAY)
    assert do_record_hit(read, "visitor-b", TODAY)
    assert outbox_work_ids() == []  # a hit alone does not touch the index

    assert refresh_hit_counters() == 1
    assert outbox_work_ids() == [read.pk]

    SearchOutbox.objects.all().delete()
    assert refresh_hit_counters() == 0  # nothing new since the last run
    assert outbox_work_ids() == []

    assert do_record_hit(unread, "visitor-a", TODAY)
    assert refresh_hit_counters() == 1
    assert outbox_work_ids() == [unread.pk]


def test_refreshed_hits_reach_search(make_work: Callable[..., Work]) -> None:
    from fanarchive.archive.indexing.service import searcher
    from fanarchive.domain.query import SearchQuery, Sort

    quiet, popular = make_work("Quiet", stats={"hits": 5}), make_work("Popular", stats={"hits": 6})
    first = searcher().search(SearchQuery(sort=Sort.HITS)).ids
    assert first[:2] == [popular.pk, quiet.pk]
    for visitor in ("a", "b", "c"):
        do_record_hit(quiet, visitor, TODAY)
    refresh_hit_counters()
    assert searcher().search(SearchQuery(sort=Sort.HITS)).ids[:2] == [quiet.pk, popular.pk]


def test_old_visitor_rows_are_purged(make_work: Callable[..., Work]) -> None:
    work = make_work()
    for day in (TODAY - dt.timedelta(days=3), TODAY - dt.timedelta(days=1), TODAY):
        do_record_hit(work, "visitor", day)
    assert purge_old_hits(TODAY) == 1
    assert sorted(WorkHit.objects.values_list("day", flat=True)) == [TODAY - dt.timedelta(days=1), TODAY]


def test_worker_process_passes_hits_to_the_outbox(tmp_path: Path) -> None:
    """End to end in a throwaway archive: import a work, drain the outbox, record a visit the way the
    web process does (a row, no outbox), then the worker alone must queue the reindex."""
    env = {**os.environ, "FANARCHIVE_HOME": str(tmp_path), "FANARCHIVE_TASKS_IMMEDIATE": "false"}
    env.pop("DATABASE_URL", None)

    def fanarchive(*args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "fanarchive.cli.main", *args], env=env, check=True, capture_output=True
        )

    fanarchive("import", str(FIXTURES / "ao3" / "one-shot.txt"))
    fanarchive("indexer", "--once")
    database = sqlite3.connect(tmp_path / "fanarchive.sqlite3")
    with database:
        [(work_id,)] = database.execute("SELECT id FROM archive_work").fetchall()
        assert database.execute("SELECT count(*) FROM archive_searchoutbox").fetchone() == (0,)
        database.execute(
            "INSERT INTO archive_workhit (work_id, visitor, day) VALUES (?, 'visitor', ?)",
            (work_id, TODAY.isoformat()),
        )
    worker = subprocess.Popen(
        [sys.executable, "-m", "fanarchive.cli.main", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90  # the periodic task runs at start and every minute
        queued: list[tuple[int]] = []
        while not queued and time.monotonic() < deadline:
            time.sleep(0.5)
            queued = database.execute("SELECT work_id FROM archive_searchoutbox").fetchall()
    finally:
        worker.terminate()
        _out, err = worker.communicate(timeout=30)
        database.close()
    assert queued == [(work_id,)], err.decode()[-2000:]
