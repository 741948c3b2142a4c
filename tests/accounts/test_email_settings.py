"""FANARCHIVE_EMAIL_URL and FANARCHIVE_SIGNUP as settings.py reads them, and a real send through the
SMTP server the URL names, by the `fanarchive` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support.cli import run_cli
from support.smtp_server import Inbox

NAMES = (
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "DEFAULT_FROM_EMAIL",
    "SIGNUP_MODE",
)


def _settings(home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    code = f"import json; from fanarchive import settings as s; print(json.dumps({{n: getattr(s, n, None) for n in {NAMES!r}}}))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FANARCHIVE_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean | {"FANARCHIVE_HOME": str(home)} | env,
        capture_output=True,
        text=True,
        check=False,
    )


def _read(home: Path, **env: str) -> dict[str, Any]:
    result = _settings(home, **env)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_embedded_mode_writes_files_and_signs_as_the_site(tmp_path: Path) -> None:
    values = _read(tmp_path, FANARCHIVE_SITE_NAME="Harbour", FANARCHIVE_SITE_URL="https://harbour.example")
    assert values["EMAIL_BACKEND"] == "fanarchive.archive.accounts.mailfiles.MailDirBackend"
    assert values["DEFAULT_FROM_EMAIL"] == "Harbour <noreply@harbour.example>"
    assert values["SIGNUP_MODE"] == "open"


def test_smtp_urls(tmp_path: Path) -> None:
    starttls = _read(tmp_path, FANARCHIVE_EMAIL_URL="smtp+starttls://ada%40harbour:p%3Ass@mail.example:2525")
    assert starttls["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (starttls["EMAIL_HOST"], starttls["EMAIL_PORT"]) == ("mail.example", 2525)
    assert (starttls["EMAIL_USE_TLS"], starttls["EMAIL_USE_SSL"]) == (True, False)
    assert (starttls["EMAIL_HOST_USER"], starttls["EMAIL_HOST_PASSWORD"]) == ("ada@harbour", "p:ss")
    tls = _read(tmp_path, FANARCHIVE_EMAIL_URL="smtps://mail.example", FANARCHIVE_EMAIL_FROM="a@b.example")
    assert (tls["EMAIL_PORT"], tls["EMAIL_USE_SSL"], tls["EMAIL_USE_TLS"]) == (465, True, False)
    assert tls["DEFAULT_FROM_EMAIL"] == "a@b.example"
    plain = _read(tmp_path, FANARCHIVE_EMAIL_URL="smtp://localhost")
    assert (plain["EMAIL_PORT"], plain["EMAIL_HOST_USER"]) == (25, "")


@pytest.mark.parametrize(
    ("name", "value"), [("FANARCHIVE_EMAIL_URL", "http://mail.example"), ("FANARCHIVE_SIGNUP", "sometimes")]
)
def test_a_wrong_value_stops_the_start(tmp_path: Path, name: str, value: str) -> None:
    result = _settings(tmp_path, **{name: value})
    assert result.returncode != 0 and name in result.stderr


def test_the_command_sends_through_the_smtp_url(
    tmp_path: Path, smtp_server: Inbox, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FANARCHIVE_EMAIL_URL", f"smtp://127.0.0.1:{settings.EMAIL_PORT}")
    monkeypatch.setenv("FANARCHIVE_EMAIL_FROM", "Harbour <archive@harbour.example>")
    result = run_cli("invite", "newcomer@example.org", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    message = smtp_server.last_to("newcomer@example.org")
    assert message["From"] == "Harbour <archive@harbour.example>"
    assert "/invitations/" in smtp_server.link_in(message)
    assert not (tmp_path / "home" / "mail").exists()
