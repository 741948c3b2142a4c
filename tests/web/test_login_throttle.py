"""Log-ins are throttled by django-axes: real POSTs to the site's log-in page, which is the admin's too
(/admin/login/ sends staff there), counted per client address and per user name."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/?next=/admin/"


def _post(client: Client, username: str, password: str, address: str = "203.0.113.7") -> Any:
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def staff(django_user_model: Any) -> Any:
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user("wrangler", password="correct horse", is_staff=True)
    EmailAddress.objects.create(user=user, email="wrangler@example.org", verified=True, primary=True)
    return user


def test_a_right_password_logs_in(client: Client, staff: Any) -> None:
    response = _post(client, "wrangler", "correct horse")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_log_in_is_the_sites(client: Client, staff: Any) -> None:
    # Two-factor log-in and the rate limits hold for staff only if the admin's own form is not there.
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert (
        client.post("/admin/login/", {"username": "wrangler", "password": "correct horse"}).status_code == 302
    )
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_client_out_with_429_and_retry_after(client: Client, staff: Any) -> None:
    for _ in range(4):
        response = _post(client, "wrangler", "wrong")
        assert response.status_code == 200 and b"not correct" in response.content
    locked = _post(client, "wrangler", "wrong")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert locked["Content-Security-Policy"] and locked["X-Frame-Options"] == "DENY"
    # The right password does not get through the lock-out either.
    again = _post(client, "wrangler", "correct horse")
    assert again.status_code == 429 and "_auth_user_id" not in client.session


def test_the_user_name_is_locked_from_any_address(client: Client, staff: Any) -> None:
    for n in range(5):
        _post(Client(), "wrangler", "wrong", address=f"198.51.100.{n}")
    assert _post(client, "wrangler", "correct horse", address="192.0.2.1").status_code == 429
    # Another account from a fresh address is unaffected.
    assert _post(client, "someone-else", "wrong", address="192.0.2.2").status_code == 200


def test_the_address_is_locked_for_any_user_name(client: Client, staff: Any) -> None:
    for n in range(5):
        _post(Client(), f"guess{n}", "wrong", address="198.51.100.9")
    assert _post(client, "wrangler", "correct horse", address="198.51.100.9").status_code == 429
    assert _post(client, "wrangler", "correct horse", address="192.0.2.3").status_code == 302


def test_a_login_made_in_code_is_not_throttled(client: Client, staff: Any) -> None:
    # Django's test client and the command line authenticate without a request: nothing to count.
    assert client.login(username="wrangler", password="correct horse")


def test_behind_the_proxy_the_forwarded_address_is_counted(client: Client, staff: Any, settings: Any) -> None:
    # With FANARCHIVE_SECURE every request arrives from the proxy; the address it appended last
    # to X-Forwarded-For is the visitor's, and a forged entry before it changes nothing.
    settings.SECURE = True
    for n in range(5):
        Client().post(
            LOGIN,
            {"login": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.50",
        )
    locked = client.post(
        LOGIN,
        {"login": "wrangler", "password": "correct horse"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert locked.status_code == 429
    # Another visitor through the same proxy is not locked out with them.
    other = client.post(
        LOGIN,
        {"login": "wrangler", "password": "correct horse"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.8",
    )
    assert other.status_code == 302
