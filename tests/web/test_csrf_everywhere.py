"""Every route refuses a POST without a CSRF token, logged in or not: no view is exempt. The route
list comes from the resolver (admin and allauth included), so a new route is covered the day it is
added, and a `csrf_exempt` on any of them fails here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from fanarchive.archive.models import User

pytestmark = pytest.mark.django_db

_GROUPS = re.compile(r"\(\?P<(\w+)>")
_CONVERTED = re.compile(r"<(?:(\w+):)?(\w+)>")


def _paths(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _paths(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield _sample(prefix + str(entry.pattern), f"{namespace}{entry.name}" if entry.name else None)


def _sample(pattern: str, name: str | None) -> str:
    """A URL this pattern matches: converters get a 1, regex groups a value reverse() accepts."""
    groups = _GROUPS.findall(pattern)
    if groups and name:
        for value in ("1", "a", "1-a"):
            try:
                return reverse(name, kwargs=dict.fromkeys(groups, value))
            except NoReverseMatch:
                continue
    path = _CONVERTED.sub(lambda m: "1" if m.group(1) == "int" else "a", pattern)
    return "/" + re.sub(r"[\^$?]|\\Z", "", path)


def _all_paths() -> list[str]:
    return sorted(set(_paths(get_resolver().url_patterns)))


def test_the_route_list_covers_the_site() -> None:
    paths = _all_paths()
    assert len(paths) > 60
    for expected in ("/works/new", "/accounts/login/", "/works/1/kudos", "/admin/login/"):
        assert expected in paths, expected


@pytest.mark.parametrize("logged_in", [False, True], ids=["guest", "member"])
def test_every_post_without_a_token_is_refused(logged_in: bool) -> None:
    client = Client(enforce_csrf_checks=True)
    if logged_in:
        client.force_login(User.objects.create_user("member", password="x", is_staff=True, is_superuser=True))
    answered = {path: client.post(path, {"title": "x"}).status_code for path in _all_paths()}
    # The API's read-only routes take no POST at all (405), and a guest there has no session for
    # a forged request to ride on (401); a member's session POST must still be refused (403).
    allowed = {405} | ({401} if not logged_in else set())
    assert {
        path: status
        for path, status in answered.items()
        if status != 403 and not (path.startswith("/api/") and status in allowed)
    } == {}
