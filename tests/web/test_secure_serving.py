"""`fanarchive serve` with FANARCHIVE_SECURE=1, as it runs behind a TLS proxy: plain http is redirected,
what the proxy marks https is served with HSTS and Secure cookies, and the files it creates under
FANARCHIVE_HOME are private. A real server process on loopback."""

from __future__ import annotations

import http.client
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.served import start_serve

pytestmark = pytest.mark.slow


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    home = tmp_path / "home"
    served = start_serve(home, {"FANARCHIVE_SECURE": "1"})
    try:
        yield served.port, home
    finally:
        served.stop()


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
