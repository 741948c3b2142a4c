"""Load shedding: a request that waited past FANARCHIVE_LOAD_SHED_QUEUE_MS for a worker thread is
answered 503 with Retry-After at once, and one that did not is served as usual."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from fanarchive.archive.web.load_shedding import LoadSheddingMiddleware, queued_seconds, set_queued_at
from support.served import Served, start_serve


def _served(_request: HttpRequest) -> HttpResponse:
    return HttpResponse("page")


@pytest.fixture
def queued_at() -> Iterator[None]:
    """Whatever a test stamps on this thread is cleared after it."""
    yield
    set_queued_at(None)


@override_settings(LOAD_SHED_QUEUE_MS=100, LOAD_SHED_RETRY_AFTER=7)
def test_a_request_that_waited_too_long_is_shed(queued_at: None) -> None:
    set_queued_at(time.monotonic() - 0.5)
    response = LoadSheddingMiddleware(_served)(RequestFactory().get("/works"))
    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    assert response["Cache-Control"] == "no-store"


@override_settings(LOAD_SHED_QUEUE_MS=100)
def test_a_request_served_in_time_or_of_unknown_wait_is_served(queued_at: None) -> None:
    set_queued_at(time.monotonic() - 0.01)
    assert LoadSheddingMiddleware(_served)(RequestFactory().get("/works")).status_code == 200
    # Under a server that does not stamp the wait (runserver, the test client) nothing is shed.
    set_queued_at(None)
    assert queued_seconds() is None
    assert LoadSheddingMiddleware(_served)(RequestFactory().get("/works")).status_code == 200


@override_settings(LOAD_SHED_QUEUE_MS=0)
def test_zero_turns_shedding_off(queued_at: None) -> None:
    set_queued_at(time.monotonic() - 60)
    assert LoadSheddingMiddleware(_served)(RequestFactory().get("/works")).status_code == 200


def _get(port: int, path: str) -> tuple[int, str | None]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("Retry-After")


@pytest.mark.slow
def test_a_real_server_past_its_capacity_sheds_instead_of_queueing(tmp_path: Path) -> None:
    """One worker with one thread and a 30 ms limit, sent 60 requests at once: the ones that would
    have waited behind the others are answered 503 with Retry-After; every request gets an answer,
    and one request alone afterwards is served."""
    served: Served = start_serve(
        tmp_path / "home",
        extra_env={"FANARCHIVE_LOAD_SHED_QUEUE_MS": "30", "FANARCHIVE_LOAD_SHED_RETRY_AFTER": "3"},
        extra_args=("--threads", "1"),
    )
    try:
        with ThreadPoolExecutor(max_workers=60) as pool:
            # Distinct filters: none of them is answered from the page cache.
            answers = list(pool.map(lambda n: _get(served.port, f"/works?words_from={n}"), range(60)))
        statuses = [status for status, _retry in answers]
        assert set(statuses) <= {200, 503}
        assert statuses.count(503) > 0 and statuses.count(200) > 0
        assert all(retry == "3" for status, retry in answers if status == 503)
        assert _get(served.port, "/works?words_from=1000") == (200, None)
    finally:
        served.stop()
