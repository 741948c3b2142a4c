"""404, 403 and 500 look like the site (its stylesheet and menu), not Django's bare defaults."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = [pytest.mark.django_db, pytest.mark.urls("support.error_urls")]


@pytest.fixture(autouse=True)
def _production(settings: Any) -> None:
    settings.DEBUG = False  # with DEBUG on Django shows its technical pages instead
    settings.SITE_NAME = "Lighthouse Archive"


def _looks_like_the_site(page: str) -> None:
    assert '<link rel="stylesheet" href="/static/archive/site.css">' in page
    assert '<header class="site-header">' in page and 'href="/works"' in page and 'href="/fandoms"' in page
    assert "Lighthouse Archive" in page


def test_a_missing_page_answers_the_sites_404(client: Client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.content.decode()
    _looks_like_the_site(page)
    assert "Page not found" in page


def test_a_missing_work_answers_the_same_404(client: Client) -> None:
    response = client.get("/works/999999")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_a_forbidden_action_answers_the_sites_403(client: Client) -> None:
    response = client.get("/test-forbidden")
    assert response.status_code == 403
    page = response.content.decode()
    _looks_like_the_site(page)
    assert "Not allowed" in page


def test_a_crash_answers_the_sites_500_without_touching_the_database() -> None:
    client = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/test-broken")
    assert response.status_code == 500
    page = response.content.decode()
    _looks_like_the_site(page)
    assert "Something went wrong" in page and "broken on purpose" not in page
    assert len(queries) == 0
