"""Personal access tokens: made and revoked on /settings/tokens, stored hashed, with scopes and an
expiry; the API answers a token as its account, refuses a dead one, and records use once a minute."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.api_tokens import do_create_api_token, do_revoke_api_token
from fanarchive.archive.actions.works import do_set_work_flags
from fanarchive.archive.models import ApiToken, User, Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def member() -> User:
    return User.objects.create_user("tokenkeeper", password="x")


def test_the_settings_page_makes_lists_and_revokes_tokens(client: Client, member: User) -> None:
    assert client.get("/settings/tokens").status_code == 302  # log-in first
    client.force_login(member)
    assert 'href="/settings/tokens"' in client.get("/dashboard").content.decode()
    page = client.post(
        "/settings/tokens", {"action": "create", "name": "kobo shelf", "scopes": ["read"], "lifetime": "30"}
    )
    plaintext = page.context["created"]
    assert plaintext.startswith("fa_") and plaintext in page.content.decode()
    token = ApiToken.objects.get(user=member)
    # Only the hash is kept.
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest() and plaintext not in str(
        vars(token)
    )
    assert token.scopes == "read" and token.expires_at is not None
    listed = client.get("/settings/tokens").content.decode()
    assert "kobo shelf" in listed and plaintext not in listed
    client.post("/settings/tokens", {"action": "revoke", "token": token.pk})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert "kobo shelf" not in client.get("/settings/tokens").content.decode()


def test_the_settings_page_needs_csrf(member: User) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    answer = strict.post(
        "/settings/tokens", {"action": "create", "name": "x", "scopes": ["read"], "lifetime": "30"}
    )
    assert answer.status_code == 403 and not ApiToken.objects.exists()


def test_admin_scope_is_for_staff_only(member: User) -> None:
    with pytest.raises(ActionError, match="staff"):
        do_create_api_token(member, "boss", ["admin"])


def test_a_token_reads_as_its_account_and_a_dead_one_is_refused(
    client: Client, member: User, make_work: Callable[..., Work]
) -> None:
    work = make_work("Locked Harbour")
    do_set_work_flags(work, posted=True, restricted=True, hidden_by_admin=False)
    token, plaintext = do_create_api_token(member, "reader", ["read"])
    assert client.get(f"/api/v1/works/{work.pk}").status_code == 404  # restricted: members only
    bearer = f"Bearer {plaintext}"
    assert (
        client.get(f"/api/v1/works/{work.pk}", HTTP_AUTHORIZATION=bearer).json()["title"] == "Locked Harbour"
    )
    first_use = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None
    client.get(f"/api/v1/works/{work.pk}", HTTP_AUTHORIZATION=bearer)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first_use  # at most once a minute
    do_revoke_api_token(member, token.pk)
    refused = client.get(f"/api/v1/works/{work.pk}", HTTP_AUTHORIZATION=bearer)
    assert refused.status_code == 401 and refused["Content-Type"] == "application/problem+json"
    assert refused["WWW-Authenticate"].startswith("Bearer")
    _, old = do_create_api_token(member, "old", ["read"], timezone.now() + dt.timedelta(seconds=1))
    ApiToken.objects.filter(name="old").update(expires_at=timezone.now() - dt.timedelta(days=1))
    assert (
        client.get("/api/v1/works", HTTP_AUTHORIZATION=f"Bearer {old}").json()["detail"]
        == "The token has expired."
    )


def test_a_token_without_the_read_scope_may_not_read(client: Client, member: User) -> None:
    _, plaintext = do_create_api_token(member, "poster", ["write"])
    answer = client.get("/api/v1/works", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert answer.status_code == 403 and "read" in answer.json()["detail"]
