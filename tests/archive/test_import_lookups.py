"""Every lookup an import makes to find the work already here is served by an index, so the cost of
a work stays flat however many works the archive holds (SQLite's query plans; PostgreSQL's planner
may prefer a scan on a small test table, so the plans are checked on SQLite)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanarchive.archive.actions.imports import find_existing_work
from fanarchive.domain.work import ParsedChapter, ParsedWork, Source

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plans")

SOURCES = [
    Source(
        format="ao3-html", site="archiveofourown.org", id="123", url="https://archiveofourown.org/works/123"
    ),
    Source(format="work-json", id="local-7"),
    Source(format="plain-text"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.format)
def test_no_lookup_scans_the_works_table(source: Source) -> None:
    parsed = ParsedWork(
        title="Harbour",
        authors=["wren"],
        chapters=[ParsedChapter(number=1, html="<p>The gulls came back at dusk.</p>")],
        source=source,
    )
    with CaptureQueriesContext(connection) as captured:
        assert find_existing_work(parsed, "0" * 64, "1" * 64) is None
    assert captured.captured_queries
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            plan = " / ".join(row[-1] for row in cursor.fetchall())
            assert "SCAN" not in plan, (query["sql"], plan)
