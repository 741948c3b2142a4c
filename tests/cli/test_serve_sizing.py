"""`fanarchive serve` sizes itself from the machine: workers from cores and memory, four threads,
and keeps idle connections open long enough for a reader's next request."""

from __future__ import annotations

import http.client
import time
from pathlib import Path

import pytest

from fanarchive.cli.main import build_parser
from fanarchive.cli.serve import KEEP_ALIVE_SECONDS
from fanarchive.cli.serve_sizing import THREADS, WORKER_MB, Sizing, available_memory_mb, size
from support.served import start_serve


def test_two_workers_per_core_when_memory_allows() -> None:
    assert size(cores=2, memory_mb=16_000) == Sizing(workers=4, threads=THREADS)
    assert size(cores=8, memory_mb=None) == Sizing(workers=16, threads=THREADS)


def test_memory_caps_the_workers_at_half_the_available_memory() -> None:
    # 8 cores would want 16 workers; 1,200 MB leaves 600 MB for workers of WORKER_MB each.
    assert size(cores=8, memory_mb=1_200).workers == 600 // WORKER_MB
    # Never fewer than one, however short the memory.
    assert size(cores=4, memory_mb=100).workers == 1


def test_available_memory_is_read_from_meminfo(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       16000000 kB\nMemAvailable:    2048000 kB\n")
    assert available_memory_mb(meminfo) == 2000
    assert available_memory_mb(tmp_path / "missing") is None


def test_serve_leaves_workers_and_threads_to_the_sizing_unless_given() -> None:
    args = build_parser().parse_args(["serve"])
    assert args.workers is None and args.threads is None
    assert args.keep_alive == KEEP_ALIVE_SECONDS
    args = build_parser().parse_args(["serve", "--workers", "3", "--threads", "2", "--keep-alive", "5"])
    assert (args.workers, args.threads, args.keep_alive) == (3, 2, 5)


@pytest.mark.slow
def test_a_connection_reused_after_a_pause_is_still_served(tmp_path: Path) -> None:
    """gunicorn's own default (2 s) closed connections a client reused after a pause of three seconds,
    and the request sent on them failed with a reset."""
    served = start_serve(tmp_path / "home")
    try:
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        for pause in (0.0, 3.0):
            time.sleep(pause)
            connection.request("GET", "/works")
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            assert response.getheader("Connection", "").lower() != "close"
        connection.close()
    finally:
        served.stop()
