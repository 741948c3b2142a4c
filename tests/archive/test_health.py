"""/healthz answers 200 with the outbox lag when the archive can serve, 503 when changes wait
longer than the indexer should take or the index cannot be opened."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.indexing.service import reset_backend
from fanarchive.archive.models import SearchOutbox, Work

pytestmark = pytest.mark.django_db


def test_a_drained_archive_is_healthy(client: Client) -> None:
    SearchOutbox.objects.all().delete()
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {
        "ok": True,
        "database": True,
        "cache": True,
        "queue": True,
        "index": True,
        "outbox_pending": 0,
        "outbox_oldest_seconds": 0.0,
        "queue_pending": 0,
    }


@pytest.mark.parametrize("part", ["cache", "queue"])
def test_a_cache_or_queue_that_fails_makes_it_unhealthy(
    client: Client, monkeypatch: pytest.MonkeyPatch, part: str
) -> None:
    from django.core.cache import cache
    from huey.contrib.djhuey import HUEY

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("the server went away")

    SearchOutbox.objects.all().delete()
    if part == "cache":
        monkeypatch.setattr(cache, "set", refuse)
    else:
        monkeypatch.setattr(HUEY, "pending_count", refuse)
    answer = client.get("/healthz")
    assert answer.status_code == 503
    body = answer.json()
    assert body[part] is False and body[f"{part}_error"] == "ConnectionError"
    assert body["database"] is True and body["index"] is True


def test_changes_left_waiting_make_it_unhealthy(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Waiting", chapters=1)
    SearchOutbox.objects.all().delete()
    enqueue_reindex([work.pk])
    assert client.get("/healthz").json()["outbox_pending"] == 1
    assert client.get("/healthz").status_code == 200  # pending, but only just
    SearchOutbox.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["outbox_oldest_seconds"] >= 3600


def test_an_index_that_cannot_open_makes_it_unhealthy(client: Client, settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.SEARCH_BACKEND, settings.HOME = "tantivy", blocker
    reset_backend()
    try:
        answer = client.get("/healthz")
        assert answer.status_code == 503
        assert answer.json()["index"] is False and answer.json()["database"] is True
    finally:
        reset_backend()
