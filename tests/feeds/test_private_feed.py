"""The private inbox feed: valid Atom, only its owner's items whose works are still visible, and
only at the current secret address."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from lxml import etree
from tests.feeds.conftest import NS, assert_atom_rules, validate

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.chapters import ChapterText, do_add_chapter
from fanarchive.archive.actions.notifications import do_new_feed_token, do_revoke_feed_token
from fanarchive.archive.actions.subscriptions import do_subscribe
from fanarchive.archive.models import User, Work

pytestmark = pytest.mark.django_db


def member(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


def test_the_feed_lists_visible_items_at_the_current_token_only(
    make_work: Callable[..., Work], schemas: dict[str, etree.RelaxNG]
) -> None:
    shown, later_hidden = make_work("Tidewater <&>", owner="ada"), make_work("Sealed", owner="ada")
    reader = member("reader")
    for work in (shown, later_hidden):
        do_subscribe(reader, work)
        do_add_chapter(work, ChapterText(body="<p>More.</p>"), posted=True)
    Work.objects.filter(pk=later_hidden.pk).update(hidden_by_admin=True)
    assert Client().get("/users/reader/inbox/.atom").status_code == 404  # no token yet
    token = do_new_feed_token(reader)

    response = Client().get(f"/users/reader/inbox/{token}.atom")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    document = etree.fromstring(response.content)
    validate(document, schemas["atom"])
    assert_atom_rules(document)
    titles = document.xpath("a:entry/a:title/text()", namespaces=NS)
    assert titles == ["New chapter of Tidewater <&>: Chapter 4"]
    # The feed's id holds no secret: a reader keeps its entries across a new address.
    assert token not in document.xpath("string(a:id)", namespaces=NS)

    assert Client().get(f"/users/ada/inbox/{token}.atom").status_code == 404
    assert Client().get(f"/users/reader/inbox/{token[:-1]}.atom").status_code == 404
    do_revoke_feed_token(reader)
    assert Client().get(f"/users/reader/inbox/{token}.atom").status_code == 404
