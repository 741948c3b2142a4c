"""`fanarchive serve` as the benches run it: a process group of its own on a free loopback port,
without the indexer and task worker (the cores go to pages), on the archive in FANARCHIVE_HOME."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


_CACHE_LINE = re.compile(r'fanarchive_cache_requests_total\{cache="pages",result="(hit|miss)"\} ([0-9.e+]+)')


def page_cache_counts(port: int) -> dict[str, float]:
    """The page cache's hits and misses so far, summed over the workers, from /metrics."""
    status, body = get(port, "/metrics", {})
    if status != 200:
        return {}
    return {result: float(value) for result, value in _CACHE_LINE.findall(body.decode())}


def start(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "fanarchive.cli.main", "serve", "--no-indexer", "--no-worker"]
    command += ["--no-demo", "--port", str(port), "--workers", str(workers), "--threads", str(threads)]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            get(port, "/healthz", {})
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                raise RuntimeError("fanarchive serve did not start") from None
            time.sleep(0.3)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)
