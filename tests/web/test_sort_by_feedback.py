"""Issue 14: kudos, comments and bookmarks left through the actions reach the search index once
the outbox is drained, and /works sorts by them on every backend; each blurb shows the counts
the order was taken from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lxml.html
import pytest
from django.test import Client

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.bookmarks import BookmarkFields, do_bookmark, do_delete_bookmark
from fanarchive.archive.actions.comments import do_mark_spam, do_post_comment
from fanarchive.archive.actions.kudos import do_leave_kudos, guest_hash
from fanarchive.archive.indexing.indexer import drain_all
from fanarchive.archive.indexing.service import get_backend
from fanarchive.archive.models import Bookmark, SearchOutbox, User, Work

pytestmark = pytest.mark.django_db

STATS = ("Kudos", "Comments", "Bookmarks")


def _blurbs(client: Client, sort: str) -> list[tuple[str, dict[str, int]]]:
    """Each blurb of the listing in order: its title, and the counts it shows."""
    response = client.get(f"/works?sort={sort}")
    assert response.status_code == 200
    found = []
    for blurb in lxml.html.fromstring(response.content).xpath('//li[@class="blurb"]'):
        title = blurb.xpath('.//h3[@class="heading"]/a')[0].text_content()
        shown = {
            dt.text_content().rstrip(":"): int(dt.getnext().text_content().replace(",", ""))
            for dt in blurb.xpath('.//dl[@class="stats"]/dt')
            if dt.text_content().rstrip(":") in STATS
        }
        found.append((title, shown))
    return found


def _member(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


def _order(client: Client, sort: str, stat: str) -> list[str]:
    """The titles as /works sorts them, checked against the counts their blurbs show."""
    blurbs = _blurbs(client, sort)
    counts = [shown[stat] for _title, shown in blurbs]
    assert counts == sorted(counts, reverse=True), blurbs
    return [title for title, _shown in blurbs]


def test_works_sort_by_kudos_comments_and_bookmarks_left_through_the_actions(
    client: Client, make_work: Callable[..., Work], settings: Any, backend: str
) -> None:
    # As a served archive runs: the actions write outbox rows, the indexer drains them.
    settings.SEARCH_INDEX_IMMEDIATELY = False
    owner = _member("harbourmaster")
    # stats={}: no imported source counts, so every count below is one of these actions' rows.
    works = {
        title: make_work(title, owner="harbourmaster", stats={}) for title in ("Alder", "Birch", "Cedar")
    }
    readers = [_member(f"reader{n}") for n in range(4)]

    def kudos(title: str, count: int) -> None:
        for n in range(count):
            assert do_leave_kudos(works[title], readers[n], "")

    kudos("Alder", 3)
    kudos("Birch", 1)
    kudos("Cedar", 1)
    assert do_leave_kudos(works["Cedar"], None, guest_hash("guest@example.org", works["Cedar"].pk))

    def comments(title: str, count: int) -> None:
        for n in range(count):
            do_post_comment(works[title], f"<p>Comment {n}.</p>", user=readers[n])

    comments("Alder", 1)
    comments("Birch", 3)
    comments("Cedar", 2)
    # A comment its creator marked as spam is not counted, nor sorted by.
    spam = do_post_comment(works["Alder"], "<p>Buy boats.</p>", user=readers[3])
    do_mark_spam(spam, owner)

    def bookmarks(title: str, count: int, *, private: bool = False) -> None:
        for reader in readers[:count] if not private else readers[-count:]:
            do_bookmark(
                reader,
                BookmarkFields(pseud=reader.pseuds.get(is_default=True), private=private),
                work=works[title],
            )

    bookmarks("Alder", 2)
    bookmarks("Birch", 1)
    bookmarks("Birch", 2, private=True)  # private bookmarks are not counted
    bookmarks("Cedar", 3)

    assert SearchOutbox.objects.exists()
    drain_all(get_backend())
    assert not SearchOutbox.objects.exists()

    assert _order(client, "kudos", "Kudos") == ["Alder", "Cedar", "Birch"]  # one of Cedar's is a guest's
    assert _order(client, "comments", "Comments") == ["Birch", "Cedar", "Alder"]
    assert _order(client, "bookmarks", "Bookmarks") == ["Cedar", "Alder", "Birch"]
    shown = dict(_blurbs(client, "title"))
    assert shown["Alder"] == {"Comments": 1, "Kudos": 3, "Bookmarks": 2}
    assert shown["Birch"] == {"Comments": 3, "Kudos": 1, "Bookmarks": 1}
    assert shown["Cedar"] == {"Comments": 2, "Kudos": 2, "Bookmarks": 3}

    # Taking rows away moves a work down as surely as adding them moved it up.
    for bookmark in Bookmark.objects.filter(work=works["Alder"]):
        do_delete_bookmark(bookmark)
    do_mark_spam(spam, owner, spam=False)
    comments("Alder", 3)  # Alder: 1 + the unmarked one + 3 = 5 comments
    drain_all(get_backend())
    assert _order(client, "bookmarks", "Bookmarks") == ["Cedar", "Birch", "Alder"]
    assert _order(client, "comments", "Comments") == ["Alder", "Birch", "Cedar"]
