"""/metrics and the JSON request log (issue 16, observability): Prometheus's text format with request
latency by view, download-cache hits and misses, export counts, outbox lag and queue depth; readable by
staff and the configured networks only (404 for anyone else, as for an address that is not there); one
JSON line per request when FANARCHIVE_LOG_FORMAT=json."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import SearchOutbox, User, Work

pytestmark = pytest.mark.django_db


def _samples(client: Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.content.decode())
        for sample in family.samples
    }


def _value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_are_timed_by_view(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", chapters=1)
    before = _samples(client)
    for _ in range(3):
        assert client.get(f"/works/{work.pk}").status_code == 200
    assert client.get("/works/999999").status_code == 404
    after = _samples(client)
    count = "fanarchive_request_duration_seconds_count"
    page = {"view": "work", "method": "GET", "status": "2xx"}
    assert _value(after, count, **page) - _value(before, count, **page) == 3
    missing = {"view": "work", "method": "GET", "status": "4xx"}
    assert _value(after, count, **missing) - _value(before, count, **missing) == 1
    # Every observation falls in the +Inf bucket; the sum of times is positive.
    assert _value(after, "fanarchive_request_duration_seconds_bucket", le="+Inf", **page) >= 3
    assert _value(after, "fanarchive_request_duration_seconds_sum", **page) > 0


def test_download_cache_hits_misses_and_exports_are_counted(
    client: Client, make_work: Callable[..., Work], settings: Any, tmp_path: Any
) -> None:
    # A download folder of its own: another test's work of the same text would be a hit here.
    settings.HOME = tmp_path
    work = make_work("Harbour Lights", chapters=2)
    before = _samples(client)
    link = f"/downloads/{work.pk}/Harbour_Lights.html"
    for _ in range(3):
        answer = client.get(link)
        assert answer.status_code == 200
        # Reading the body to its end, as a reader does, closes the file it streams.
        assert b"".join(answer.streaming_content) if answer.streaming else answer.content  # type: ignore[attr-defined]
    after = _samples(client)

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("fanarchive_cache_requests_total", cache="downloads", result="miss") == 1
    assert grew("fanarchive_cache_requests_total", cache="downloads", result="hit") == 2
    assert grew("fanarchive_exports_total", format="html") == 1


def test_backlog_is_read_when_scraped(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Waiting", chapters=1)
    SearchOutbox.objects.all().delete()
    assert _value(_samples(client), "fanarchive_outbox_pending") == 0
    enqueue_reindex([work.pk])
    samples = _samples(client)
    assert _value(samples, "fanarchive_outbox_pending") == SearchOutbox.objects.count() == 1
    assert _value(samples, "fanarchive_outbox_lag_seconds") >= 0
    assert ("fanarchive_queue_depth", ()) in samples


def test_only_staff_and_named_networks_read_metrics(client: Client, settings: Any) -> None:
    # The test client's address is 127.0.0.1, inside the default networks.
    assert client.get("/metrics").status_code == 200
    settings.METRICS_NETWORKS = ["10.0.0.0/8"]
    missing = client.get("/no-such-page")
    refused = client.get("/metrics")
    assert refused.status_code == missing.status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    member = User.objects.create_user("reader", password="pw-long-enough-1")
    client.force_login(member)
    assert client.get("/metrics").status_code == 404
    staff = User.objects.create_user("keeper", password="pw-long-enough-1", is_staff=True)
    client.force_login(staff)
    assert client.get("/metrics").status_code == 200


def test_json_log_format_writes_one_line_per_request(
    client: Client, settings: Any, make_work: Callable[..., Work], caplog: pytest.LogCaptureFixture
) -> None:
    from fanarchive.archive.observability.request_log import JsonFormatter

    work = make_work("Harbour Lights", chapters=1)
    settings.LOG_FORMAT = "json"
    with caplog.at_level(logging.INFO, logger="fanarchive.requests"):
        client.get(f"/works/{work.pk}?secret=token")
        client.get("/works/999999")
    records = [record for record in caplog.records if record.name == "fanarchive.requests"]
    lines = [json.loads(JsonFormatter().format(record)) for record in records]
    assert [(line["path"], line["status"], line["view"]) for line in lines] == [
        (f"/works/{work.pk}", 200, "work"),
        ("/works/999999", 404, "work"),
    ]
    assert all(line["duration_ms"] > 0 and line["method"] == "GET" for line in lines)
    assert all(len(line["request_id"]) == 32 and line["user_id"] is None for line in lines)
    # The query string (a search, a token) stays out of the log.
    assert "secret" not in json.dumps(lines)


def test_text_log_format_writes_no_request_lines(
    client: Client, make_work: Callable[..., Work], caplog: pytest.LogCaptureFixture
) -> None:
    work = make_work("Harbour Lights", chapters=1)
    with caplog.at_level(logging.INFO, logger="fanarchive.requests"):
        client.get(f"/works/{work.pk}")
    assert [record for record in caplog.records if record.name == "fanarchive.requests"] == []
