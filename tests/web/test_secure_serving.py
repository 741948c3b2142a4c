"""`fanarchive serve` with FANARCHIVE_SECURE=1, as it runs behind a TLS proxy: plain http is redirected,
what the proxy marks https is served with HSTS and Secure cookies, and the files it creates under
FANARCHIVE_HOME are private. A real server process on loopback."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SERVE = [
    sys.executable,
    "-m",
    "fanarchive.cli.main",
    "serve",
    "--no-indexer",
    "--no-worker",
    "--no-demo",
    "--workers",
    "1",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    home, port = tmp_path / "home", _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANARCHIVE_") and k != "DATABASE_URL"}
    env |= {"FANARCHIVE_HOME": str(home), "FANARCHIVE_SECURE": "1"}
    process = subprocess.Popen(
        [*SERVE, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(port, "/static/archive/site.css")
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        yield port, home
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_secure_server_redirects_http_and_marks_https(server: tuple[int, Path]) -> None:
    port, home = server
    plain = _get(port, "/")
    assert plain.status == 301 and plain.getheader("Location") == f"https://127.0.0.1:{port}/"
    assert _get(port, "/healthz").status == 200, "a plain-http health probe is answered, not redirected"

    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    page = _get(port, "/", proxied)
    assert page.status == 200
    assert page.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in (page.getheader("Content-Security-Policy") or "")
    assert page.getheader("X-Frame-Options") == "DENY"

    login = _get(port, "/accounts/login/", proxied)
    cookie = login.getheader("Set-Cookie") or ""
    assert login.status == 200 and "csrftoken=" in cookie and "Secure" in cookie

    # What the running server made under its home: a private directory, private databases.
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for name in ("secret_key", "fanarchive.sqlite3", "fanarchive.sqlite3-wal", "fanarchive.sqlite3-shm"):
        assert stat.S_IMODE((home / name).stat().st_mode) == 0o600, name
