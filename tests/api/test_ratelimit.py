"""429 with Retry-After and X-RateLimit-* headers, counted per token and per client address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from fanarchive.archive.actions.api_tokens import do_create_api_token
from fanarchive.archive.models import User

pytestmark = pytest.mark.django_db


def test_guests_are_counted_per_address_and_tokens_per_token(client: Client, settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "api": "3/m/key", "api_guest": "2/m/ip"}
    first = client.get("/api/v1/fandoms")
    assert (first["X-RateLimit-Limit"], first["X-RateLimit-Remaining"]) == ("2", "1")
    assert 1 <= int(first["X-RateLimit-Reset"]) <= 60
    client.get("/api/v1/fandoms")
    refused = client.get("/api/v1/fandoms")
    assert refused.status_code == 429 and refused["Content-Type"] == "application/problem+json"
    assert refused["Retry-After"] == refused["X-RateLimit-Reset"] and refused["X-RateLimit-Remaining"] == "0"
    # Another client address has its own count.
    assert client.get("/api/v1/fandoms", REMOTE_ADDR="192.0.2.9").status_code == 200
    # A token has its own, from the same address.
    _, plaintext = do_create_api_token(User.objects.create_user("pacer", password="x"), "bot", ["read"])
    answers = [client.get("/api/v1/fandoms", HTTP_AUTHORIZATION=f"Bearer {plaintext}") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0]["X-RateLimit-Limit"] == "3"
    # The site's pages are not counted.
    assert "X-RateLimit-Limit" not in client.get("/works")
