"""The read router without a real replica: which reads it sends where, which writes pin a reader to
the primary, and a replica that cannot be reached. (tests/multinode/test_layout.py runs it for real.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.utils import ConnectionHandler
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from fanarchive.archive import db_router
from fanarchive.archive.db_router import COOKIE, PrimaryReplicaRouter, ReadRoutingMiddleware, is_pinning_write
from support.served import free_port

_real_reachable = db_router._replica_reachable
WITH_REPLICA = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
    # Nothing listens there: every connection is refused.
    "replica": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "fa_multinode_absent",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "OPTIONS": {"connect_timeout": 2},
    },
}


@pytest.mark.parametrize(
    ("sql", "pins"),
    [
        ('INSERT INTO "archive_kudos" ("work_id") VALUES (%s)', True),
        ('UPDATE "archive_work" SET "title" = %s WHERE "id" = %s', True),
        ('DELETE FROM "archive_bookmark" WHERE "id" = %s', True),
        ('UPDATE "archive_statcounter" SET "kudos" = ("kudos" + 1) WHERE "work_id" = %s', True),
        # What every reader's visit writes: no reason to leave the replica.
        ('INSERT INTO "archive_workhit" ("work_id", "key") VALUES (%s, %s)', False),
        ('UPDATE "archive_statcounter" SET "hits" = ("hits" + 1) WHERE "work_id" = %s', False),
        ('SELECT "archive_work"."id" FROM "archive_work"', False),
    ],
)
def test_which_writes_pin_a_reader_to_the_primary(sql: str, pins: bool) -> None:
    assert is_pinning_write(sql) is pins


@pytest.fixture
def replica_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[ConnectionHandler]:
    handler = ConnectionHandler(WITH_REPLICA)
    monkeypatch.setattr(db_router, "connections", handler)
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router._ReplicaHealth, "down_until", 0.0)
    yield handler
    handler.close_all()


def _routed(
    request: HttpRequest, reachable: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, HttpResponse]:
    monkeypatch.setattr(db_router, "_replica_reachable", lambda: reachable)
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(PrimaryReplicaRouter().db_for_read(object))
        return HttpResponse("page")

    response = ReadRoutingMiddleware(view)(request)
    return seen[0], response


def test_a_plain_read_goes_to_the_replica_and_a_stamped_one_to_the_primary(
    replica_down: ConnectionHandler, monkeypatch: pytest.MonkeyPatch
) -> None:
    factory = RequestFactory()
    assert _routed(factory.get("/works"), True, monkeypatch)[0] == "replica"
    stamped = factory.get("/works")
    stamped.COOKIES[COOKIE] = "9999999999"
    assert _routed(stamped, True, monkeypatch)[0] == "default"
    # Pages the page cache will keep under the version it read before the view: the primary's.
    storing = factory.get("/works")
    storing.page_cache_storing = True  # type: ignore[attr-defined]
    assert _routed(storing, True, monkeypatch)[0] == "default"
    assert _routed(factory.post("/works/1/kudos"), True, monkeypatch)[0] == "default"
    # Outside a request (worker, indexer, import): the primary.
    assert PrimaryReplicaRouter().db_for_read(object) == "default"
    assert PrimaryReplicaRouter().db_for_write(object) == "default"


def test_an_unreachable_replica_sends_reads_to_the_primary_and_is_left_alone_a_while(
    replica_down: ConnectionHandler, monkeypatch: pytest.MonkeyPatch, django_db_blocker: Any
) -> None:
    assert _routed(RequestFactory().get("/works"), False, monkeypatch)[0] == "default"
    monkeypatch.setattr(db_router, "_replica_reachable", _real_reachable)
    # Only the replica's connection, to a port where nothing listens.
    with django_db_blocker.unblock():
        assert db_router._replica_reachable() is False
        assert db_router._ReplicaHealth.down_until > 0
        attempts: list[str] = []
        monkeypatch.setattr(replica_down["replica"], "ensure_connection", lambda: attempts.append("x"))
        assert db_router._replica_reachable() is False
        assert attempts == []  # not tried again until REPLICA_RETRY_SECONDS have passed
