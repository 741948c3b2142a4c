"""`check --deploy` is clean with FANARCHIVE_SECURE=1, and the switch turns on what it says: run in a
real process with its own data directory, as a production server would start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: "
    "getattr(s, k, None) for k in ['SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', 'SECURE_HSTS_SECONDS', "
    "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'CSRF_TRUSTED_ORIGINS', 'ALLOWED_HOSTS']}))"
)


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FANARCHIVE_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    return {**env, "FANARCHIVE_HOME": str(home), "DJANGO_SETTINGS_MODULE": "fanarchive.settings", **extra}


def _django_admin(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import sys; from django.core.management import execute_from_command_line; execute_from_command_line(sys.argv)"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_when_secure(tmp_path: Path) -> None:
    done = _django_admin(
        "check", "--deploy", "--fail-level", "WARNING", env=_env(tmp_path / "h", FANARCHIVE_SECURE="1")
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert "WARNINGS" not in done.stderr + done.stdout


def test_check_deploy_warns_when_secure_is_off(tmp_path: Path) -> None:
    # The test above could not fail if the check found nothing to say: without the switch it does.
    done = _django_admin("check", "--deploy", env=_env(tmp_path / "h"))
    assert "security.W004" in done.stderr and "security.W008" in done.stderr


@pytest.mark.parametrize(
    "extra",
    [{"FANARCHIVE_SECURE": "1"}, {"FANARCHIVE_SITE_URL": "https://archive.example.org"}],
    ids=["FANARCHIVE_SECURE", "https-SITE_URL"],
)
def test_secure_switch_turns_on_https_settings(tmp_path: Path, extra: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        env=_env(tmp_path / "h", **extra),
        capture_output=True,
        text=True,
        check=True,
    )
    shown = json.loads(done.stdout)
    assert shown["SECURE_SSL_REDIRECT"] is True and shown["SECURE_HSTS_SECONDS"] == 31536000
    assert shown["SESSION_COOKIE_SECURE"] is True and shown["CSRF_COOKIE_SECURE"] is True
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    if "FANARCHIVE_SITE_URL" in extra:
        assert shown["CSRF_TRUSTED_ORIGINS"] == ["https://archive.example.org"]
        assert "archive.example.org" in shown["ALLOWED_HOSTS"]


def test_plain_http_settings_when_off(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SHOW], env=_env(tmp_path / "h"), capture_output=True, text=True, check=True
    )
    shown = json.loads(done.stdout)
    assert not shown["SECURE_SSL_REDIRECT"] and not shown["SECURE_HSTS_SECONDS"]
    assert not shown["SESSION_COOKIE_SECURE"] and shown["SECURE_PROXY_SSL_HEADER"] is None
