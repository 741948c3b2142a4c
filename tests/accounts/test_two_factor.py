"""Two-factor log-in (allauth.mfa): an authenticator app's codes, computed here as the app would
(RFC 6238 over the secret the set-up page shows), and recovery codes that work once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from fanarchive.archive.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "tidepool-lantern-42"


def _code(secret: str, at: float) -> str:
    return format_hotp_value(hotp_value(secret, int(at) // 30))


def _log_in(password: str = PASSWORD) -> tuple[Client, Any]:
    client = Client()
    return client, client.post("/accounts/login/", {"login": "ada", "password": password})


@pytest.fixture
def ada() -> User:
    user = User.objects.create_user("ada", "ada@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email="ada@example.org", verified=True, primary=True)
    return user


def test_totp_then_a_recovery_code_once(ada: User, monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = _log_in()
    # Turning two-factor log-in on asks for the password again first.
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    body = page.content.decode()
    # The QR code is drawn in the page: the CSP admits no data: image.
    assert "<svg" in body and "data:image" not in body and "<?xml" not in body
    secret = page.context["form"].secret
    now = time.time()
    activated = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret, now)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=ada, type=Authenticator.Type.TOTP).exists()
    client.post("/accounts/logout/")

    # The password alone no longer logs in: a code is asked for.
    client, response = _log_in()
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    # A later 30-second window: the code used to activate may not be replayed.
    later = now + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.post("/accounts/2fa/authenticate/", {"code": _code(secret, later)}).status_code == 302
    assert client.session["_auth_user_id"] == str(ada.pk)
    monkeypatch.undo()

    codes = RecoveryCodes(Authenticator.objects.get(user=ada, type=Authenticator.Type.RECOVERY_CODES))
    recovery = codes.get_unused_codes()[0]
    for attempt in range(2):
        client, response = _log_in()
        assert response["Location"] == "/accounts/2fa/authenticate/"
        client.post("/accounts/2fa/authenticate/", {"code": recovery})
        logged_in = "_auth_user_id" in client.session
        assert logged_in == (attempt == 0), "a recovery code works once"


def test_a_wrong_password_never_reaches_the_code(ada: User) -> None:
    Authenticator.objects.create(user=ada, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client, response = _log_in("not-the-password")
    assert response.status_code == 200
    assert client.get("/accounts/2fa/authenticate/").status_code == 302
