"""Log-in, sign-up and password reset are rate-limited: 429 with Retry-After, in the site's frame.
Failed log-ins are counted by django-axes (the admin's log-in is the site's: test_login_throttle.py)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from fanarchive.archive.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "tidepool-lantern-42"
ADDRESS = "203.0.113.7"


@pytest.fixture
def ada() -> User:
    user = User.objects.create_user("ada", "ada@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email="ada@example.org", verified=True, primary=True)
    return user


def _assert_429(response: Any, retry_after: int) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) == retry_after
    assert response["Content-Security-Policy"]


def test_sign_up_is_limited_per_address(client: Client) -> None:
    for n in range(10):
        # Even a sign-up that fails its form counts.
        assert client.post("/accounts/signup/", {"username": f"u{n}"}, REMOTE_ADDR=ADDRESS).status_code == 200
    limited = client.post("/accounts/signup/", {"username": "u10"}, REMOTE_ADDR=ADDRESS)
    # The longest window of sign-up's limits (10 a minute, 30 an hour).
    _assert_429(limited, 3600)
    assert (
        'class="site-header"' in limited.content.decode() and "Too many requests" in limited.content.decode()
    )
    # Another client address is not held up.
    assert client.post("/accounts/signup/", {"username": "v"}, REMOTE_ADDR="192.0.2.1").status_code == 200


def test_password_reset_is_limited_per_address_asked_for(client: Client, ada: User) -> None:
    for _ in range(5):
        response = client.post("/accounts/password/reset/", {"email": "ada@example.org"}, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 302
    _assert_429(
        client.post("/accounts/password/reset/", {"email": "ada@example.org"}, REMOTE_ADDR=ADDRESS), 60
    )


def test_log_in_posts_are_limited_per_address(client: Client, ada: User, settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        assert client.post("/accounts/login/", {"login": "ada", "password": PASSWORD}).status_code == 302
    _assert_429(client.post("/accounts/login/", {"login": "ada", "password": PASSWORD}), 60)


def test_behind_the_proxy_the_limits_count_the_visitors_address(client: Client, settings: Any) -> None:
    settings.SECURE = True
    for n in range(10):
        client.post(
            "/accounts/signup/",
            {"username": f"u{n}"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.50",
        )
    limited = client.post(
        "/accounts/signup/", {"username": "u"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50"
    )
    assert limited.status_code == 429
    other = client.post(
        "/accounts/signup/", {"username": "v"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.8"
    )
    assert other.status_code == 200


def test_five_failed_log_ins_lock_the_account_name_out(client: Client, ada: User) -> None:
    for n in range(4):
        response = Client().post(
            "/accounts/login/", {"login": "ada", "password": "wrong"}, REMOTE_ADDR=f"198.51.100.{n}"
        )
        assert response.status_code == 200
    # Guessing through the address counts for the same account.
    locked = client.post("/accounts/login/", {"login": "ADA@example.org", "password": "wrong"})
    _assert_429(locked, 15 * 60)
    # From then on the right password does not get through, here or at the admin's log-in.
    right = Client().post("/accounts/login/", {"login": "ada", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9")
    _assert_429(right, 15 * 60)
    assert "_auth_user_id" not in right.client.session


def test_a_failed_log_in_then_the_right_one_works(client: Client, ada: User) -> None:
    assert client.post("/accounts/login/", {"login": "ada", "password": "wrong"}).status_code == 200
    assert client.post("/accounts/login/", {"login": "ada", "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(ada.pk)
