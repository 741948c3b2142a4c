"""A member's work page asks each question about the work and the reader once: whether they
created it, whom they muted, what they marked; and none at all about series, related works or
kudos a work does not have."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.models import User, Work

pytestmark = pytest.mark.django_db


def _reads(table: str, sql: str) -> bool:
    """A query of its own on `table` (a subquery in another query names it with an alias, U0)."""
    return re.search(rf'FROM "{table}"(?! U\d)', sql) is not None


def _sql(client: Client, url: str) -> list[str]:
    client.get(url)  # the reading-history row written, the fragments made
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def _reader() -> Client:
    # A member: pages for guests come whole from the page cache.
    reader = User.objects.create_user("wren", password="x")
    do_ensure_default_pseud(reader)
    client = Client()
    client.force_login(reader)
    return client


def test_a_members_chapter_page_asks_each_question_once(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada", chapters=2)
    sql = _sql(_reader(), f"/works/{work.pk}/chapters/2")
    assert sum('FROM "archive_creatorship" U0' in q for q in sql) == 1  # is_creator, with the work
    assert sum('FROM "archive_mute"' in q for q in sql) == 1
    for table in ("archive_statcounter", "archive_serialwork", "archive_relatedwork", "archive_kudos"):
        assert not any(_reads(table, q) for q in sql), table
    assert not any(_reads("archive_readinghistory", q) or _reads("archive_subscription", q) for q in sql)


def test_a_page_without_comments_reads_them_in_one_query(make_work: Callable[..., Work]) -> None:
    work = make_work("Quiet", owner="ada", chapters=1)
    sql = _sql(_reader(), f"/works/{work.pk}")
    assert sum(_reads("archive_comment", q) for q in sql) == 1
