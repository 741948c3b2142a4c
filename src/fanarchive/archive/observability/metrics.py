"""The archive's Prometheus metrics, on prometheus-client (django-prometheus was the alternative; it
instruments every model and cache call, more than an operator of this archive reads, and still
needs prometheus-client's multiprocess mode under gunicorn).

`fanarchive serve` runs several worker processes: it points PROMETHEUS_MULTIPROC_DIR at a folder under
FANARCHIVE_HOME before they start (cli/serve.py), each process writes its counters there, and a scrape
adds them up. Without that variable (tests, `runserver`, the CLI) the counters live in the process.

Lag and queue depth are read when scraped, from the database and huey, so they are never stale."""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUEST_SECONDS = Histogram(
    "fanarchive_request_duration_seconds",
    "Time to answer a request, by view, method and status class.",
    ["view", "method", "status"],
    # Pages answer in milliseconds when cached and in tens of them when not; the tail matters.
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
CACHE_REQUESTS = Counter(
    "fanarchive_cache_requests_total",
    "Lookups in the archive's caches (the download files, the page cache), hit or miss.",
    ["cache", "result"],
)
IMPORTS = Counter("fanarchive_imports_total", "Works read by imports, by outcome.", ["outcome"])
EXPORTS = Counter("fanarchive_exports_total", "Download files written, by format.", ["format"])


def count_cache(cache: str, hit: bool) -> None:
    CACHE_REQUESTS.labels(cache=cache, result="hit" if hit else "miss").inc()


def count_import(outcome: str) -> None:
    IMPORTS.labels(outcome=outcome).inc()


def count_export(fmt: str) -> None:
    EXPORTS.labels(format=fmt).inc()


class BacklogCollector(Collector):
    """The search outbox and the task queue, as they stand when scraped."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from fanarchive.archive.observability.backlog import outbox_backlog, queue_depth

        pending, oldest = outbox_backlog()
        yield GaugeMetricFamily(
            "fanarchive_outbox_pending", "Changes waiting for the search indexer.", value=pending
        )
        yield GaugeMetricFamily(
            "fanarchive_outbox_lag_seconds", "Age of the oldest change waiting for the indexer.", value=oldest
        )
        yield GaugeMetricFamily(
            "fanarchive_queue_depth", "Tasks waiting in the task queue.", value=queue_depth()
        )


def exposition() -> bytes:
    """The metrics in Prometheus's text format, summed over every process of this server."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        for metric in (REQUEST_SECONDS, CACHE_REQUESTS, IMPORTS, EXPORTS):
            registry.register(metric)
    registry.register(BacklogCollector())
    return generate_latest(registry)
