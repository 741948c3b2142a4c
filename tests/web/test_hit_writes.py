"""A reader counted today for a work costs no database write when they come back to it (the next
chapter, a reload): a refused insert still took SQLite's one write lock for the whole archive."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fanarchive.archive.models import StatCounter, Work

pytestmark = pytest.mark.django_db


def test_a_returning_reader_is_counted_once_without_another_write(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater Letters", owner="marlow", chapters=3)
    reader = Client(REMOTE_ADDR="10.0.0.7")
    hits = StatCounter.objects.get(work=work).hits
    assert reader.get(f"/works/{work.pk}/chapters/1").status_code == 200
    for position in (2, 1, 3):
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(f"/works/{work.pk}/chapters/{position}").status_code == 200
        assert [q["sql"] for q in queries.captured_queries if "archive_workhit" in q["sql"]] == []
    assert StatCounter.objects.get(work=work).hits == hits + 1
    # Another reader is still counted.
    assert Client(REMOTE_ADDR="10.0.0.8").get(f"/works/{work.pk}/chapters/2").status_code == 200
    assert StatCounter.objects.get(work=work).hits == hits + 2
