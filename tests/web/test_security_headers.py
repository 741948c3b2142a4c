"""Every answer the archive gives, pages, feeds, downloads, static files, errors and the admin, carries
the Content-Security-Policy, nosniff, Referrer-Policy and frame denial."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.models import Work
from fanarchive.domain.embeds import frame_sources

pytestmark = pytest.mark.django_db


def _policy(header: str) -> dict[str, str]:
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1]
        for part in (p.strip() for p in header.split(";"))
        if part
    }


def test_every_kind_of_answer_carries_the_security_headers(
    client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Harbour Lights", chapters=2)
    answers = {
        "/": 200,
        "/works": 200,
        f"/works/{work.pk}/chapters/1": 200,
        "/fandoms": 200,
        "/tags/Saltmarsh Chronicles/works": 200,
        "/users/quietharbour": 200,
        f"/works/{work.pk}/feed.atom": 200,
        "/opds/": 200,
        f"/downloads/{work.pk}/Harbour Lights.html": 200,
        f"/downloads/{work.pk}/Harbour Lights.txt": 200,
        "/autocomplete/tags?term=Sa": 200,
        "/static/archive/site.css": 200,
        "/no/such/page": 404,
        "/works/999999999": 404,
        "/accounts/login/": 200,
        "/admin/login/": 302,
        "/admin/": 302,
    }
    for url, status in answers.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        policy = _policy(response["Content-Security-Policy"])
        assert policy["default-src"] == "'self'", url
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'", url
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'", url
        assert policy["base-uri"] == "'none'" and policy["form-action"] == "'self'", url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url


def test_a_failed_csrf_check_answers_with_the_headers_and_no_inline_style(client: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"login": "a", "password": "b"})
    assert response.status_code == 403
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response
    assert b"<style" not in response.content and b"CSRF" in response.content


def test_plain_http_is_served_when_secure_is_off(client: Client) -> None:
    # The default, for local use: no redirect to https, no HSTS, cookies without Secure.
    response = client.get("/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response
    response = client.get("/accounts/login/")
    assert "secure" not in str(response.cookies.get("csrftoken", "")).lower()


def test_the_policy_admits_media_from_any_https_host_and_frames_from_the_embed_hosts_only(
    client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Podfic Night", chapters=1)
    policy = _policy(client.get(f"/works/{work.pk}/chapters/1")["Content-Security-Policy"])
    assert policy["media-src"] == "https:"
    frames = policy["frame-src"].split()
    assert {"https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com",
            "https://w.soundcloud.com", "https://open.spotify.com", "https://archive.org/embed/"} <= set(frames)  # fmt: skip
    # https hosts only: no scheme-wide source, no wildcard, no plain http, nothing of our own.
    assert all(source.startswith("https://") and "*" not in source for source in frames), frames
    assert len(frames) == len(set(frames)) == len(frame_sources())
