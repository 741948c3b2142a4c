"""Session cookies: HttpOnly always, Secure when the site is served over HTTPS (FANARCHIVE_SECURE)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from fanarchive.archive.models import User

PASSWORD = "tidepool-lantern-42"


def _settings_with(env: dict[str, str], home: Path) -> dict[str, Any]:
    code = (
        "import json; from fanarchive import settings as s; print(json.dumps({n: getattr(s, n, False) for n in "
        "('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'ACCOUNT_DEFAULT_HTTP_PROTOCOL')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FANARCHIVE_") and k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=clean | {"FANARCHIVE_HOME": str(home)} | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(result.stdout))


def test_secure_cookies_follow_fanarchive_secure(tmp_path: Path) -> None:
    secure = _settings_with({"FANARCHIVE_SECURE": "1"}, tmp_path / "a")
    assert secure == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "https",
    }
    plain = _settings_with({}, tmp_path / "b")
    assert plain["SESSION_COOKIE_SECURE"] is False and plain["SESSION_COOKIE_HTTPONLY"] is True
    assert plain["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "http"


@pytest.mark.django_db
@pytest.mark.parametrize("secure", [False, True])
def test_the_log_in_sets_an_httponly_session_cookie(secure: bool, settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = secure
    user = User.objects.create_user("ada", "ada@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email="ada@example.org", verified=True, primary=True)
    response = Client().post("/accounts/login/", {"login": "ada", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert bool(cookie["secure"]) is secure
