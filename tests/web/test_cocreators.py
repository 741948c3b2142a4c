"""A pending co-creator is named nowhere a reader looks until they accept: bylines, listings, search
(on every backend), author pages and lists, feeds, OPDS and downloads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.creators import do_accept_creatorship, do_invite_cocreator
from fanarchive.archive.models import User, Work

pytestmark = pytest.mark.django_db

MARK = "zyxpending"
# A search echoes what was asked: it names the co-creator when it finds the work.
SEARCHES = (f"/works?q={MARK}", f"/opds/search?q={MARK}")


def _names_them(url: str, page: str) -> bool:
    body = page.split(" ", 1)[1]
    return "Shared Tide" in body if url in SEARCHES else MARK in body


def _pages(client: Client, work: Work) -> dict[str, str]:
    urls = [
        f"/works/{work.pk}",
        "/works",
        f"/works?q={MARK}",
        "/",
        f"/users/{MARK}",
        f"/users/{MARK}/works",
        "/users/alice",
        "/users/alice/feed.atom",
        f"/works/{work.pk}/feed.atom",
        "/opds/recent",
        "/opds/authors",
        f"/opds/search?q={MARK}",
        f"/opds/authors/{MARK}",
        f"/downloads/{work.pk}/Work.html",
        f"/downloads/{work.pk}/Work.txt",
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[url] = f"{response.status_code} {body.decode('utf-8', 'replace')}"
    return pages


def test_a_pending_cocreator_appears_only_once_they_accept(
    backend: str, client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Shared Tide", authors=("alice",), chapters=1)
    alice = User.objects.get(username="alice")
    invited = User.objects.create_user(MARK, password="x")
    pseud = do_ensure_default_pseud(invited)
    invitation = do_invite_cocreator(work, pseud, invited_by=alice)

    before = _pages(client, work)
    leaks = [url for url, page in before.items() if _names_them(url, page)]
    assert not leaks, leaks
    assert before[f"/users/{MARK}"].startswith("404") and before[f"/opds/authors/{MARK}"].startswith("404")
    # The probes can fail: the work itself is there under its accepted creator.
    assert "Shared Tide" in before["/works"]
    assert "alice" in before[f"/works/{work.pk}"]

    do_accept_creatorship(invitation, invited)
    after = _pages(client, work)
    for url in (
        f"/works/{work.pk}",
        "/works",
        f"/works?q={MARK}",
        f"/users/{MARK}",
        f"/users/{MARK}/works",
        f"/works/{work.pk}/feed.atom",
        "/opds/recent",
        "/opds/authors",
        f"/opds/search?q={MARK}",
        f"/opds/authors/{MARK}",
        f"/downloads/{work.pk}/Work.html",
    ):
        assert after[url].startswith("200"), url
        assert _names_them(url, after[url]), url
