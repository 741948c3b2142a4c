"""`fanarchive serve` as a real process on a free loopback port, for tests of what only a running
server shows (links on its host and port, metrics summed over its worker processes, its logs)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def archive_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of an archive in `home`: none of the developer's FANARCHIVE_* settings, SQLite."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANARCHIVE_") and k != "DATABASE_URL"}
    return env | {"FANARCHIVE_HOME": str(home)} | (extra or {})


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    """(status, content type, body); a redirect's body is its Location."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status in (301, 302, 303, 307, 308):
        body = response.getheader("Location", "").encode()
    return response.status, response.getheader("Content-Type", ""), body


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def start_serve(
    home: Path,
    extra_env: dict[str, str] | None = None,
    workers: int = 1,
    stderr: int | None = None,
    extra_args: tuple[str, ...] = (),
) -> Served:
    """A server without indexer, task worker or demo works, answering once this returns."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "fanarchive.cli.main",
        "serve",
        "--no-indexer",
        "--no-worker",
        "--no-demo",
    ]
    process = subprocess.Popen(
        [*command, "--workers", str(workers), "--port", str(port), *extra_args],
        env=archive_env(home, extra_env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if stderr is None else stderr,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(port, "/static/archive/site.css")
            return Served(process, port)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                Served(process, port).stop()  # not left serving behind a failed test
                raise AssertionError("fanarchive serve did not start") from None
            time.sleep(0.2)
