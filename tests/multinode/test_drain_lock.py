"""On PostgreSQL, one outbox drain at a time across every process and node: a drain started while
another holds the lock waits for it (two at once could commit an older document last)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections

from fanarchive.archive.indexing.indexer import _DRAIN_LOCK, drain_outbox
from fanarchive.archive.indexing.service import make_backend
from fanarchive.archive.models import SearchOutbox, Work

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_drain_waits_while_another_process_drains(make_work: Callable[..., Work]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the drain lock is PostgreSQL's (run with DATABASE_URL set to a PostgreSQL database)")
    make_work("Lanterns over Quarry Street")
    pending = SearchOutbox.objects.count()
    assert pending > 0
    backend = make_backend("memory")
    # Another process's drain, as far as this one can tell: its own connection holds the lock.
    other = connections.create_connection("default")
    done = threading.Event()

    def drain() -> None:
        try:
            drain_outbox(backend)
        finally:
            connections.close_all()
            done.set()

    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_DRAIN_LOCK])
        threading.Thread(target=drain, daemon=True).start()
        time.sleep(0.5)
        assert not done.is_set() and backend.count() == 0
        assert SearchOutbox.objects.count() == pending
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_DRAIN_LOCK])
        assert done.wait(10)
        assert backend.count() == 1 and SearchOutbox.objects.count() == 0
    finally:
        other.close()
