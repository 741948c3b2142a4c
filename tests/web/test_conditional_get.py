"""A logged-in member revalidating a page gets 304 while it is unchanged, and the page again once
anything on it changes; a copy kept by one member or session is never confirmed for another."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.comments import do_post_comment
from fanarchive.archive.models import User, Work

pytestmark = pytest.mark.django_db


def _member(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


def _logged_in(user: User, url: str) -> Client:
    client = Client()
    client.force_login(user)
    # The first page with a form sets the CSRF cookie; from then on its secret stays the same.
    client.get(url)
    return client


@pytest.fixture
def work(make_work: Callable[..., Work]) -> Work:
    return make_work("Harbour Lights", owner="ferris", chapters=2)


def test_an_unchanged_member_page_is_a_304_and_a_changed_one_is_sent_again(work: Work) -> None:
    reader = _member("wren")
    url = f"/works/{work.pk}/chapters/2"
    client = _logged_in(reader, url)
    first = client.get(url)
    assert first.status_code == 200 and 'name="csrfmiddlewaretoken"' in first.content.decode()
    etag = first["ETag"]
    again = client.get(url)
    # Masked anew, the tokens differ; the page does not, and neither does its ETag.
    assert again.content != first.content and again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    do_post_comment(
        work, "<p>The lamp room, at last.</p>", user=reader, chapter=work.chapters.get(position=2)
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "The lamp room, at last." in changed.content.decode()
    assert changed["ETag"] != etag


def test_a_copy_kept_by_one_member_or_session_is_not_confirmed_for_another(work: Work) -> None:
    url = f"/works/{work.pk}?view_full_work=true"
    wren = _member("wren")
    etag = _logged_in(wren, url).get(url)["ETag"]
    assert etag.startswith('"m-')
    for other in (_logged_in(wren, url), _logged_in(_member("moss"), url)):
        answer = other.get(url, HTTP_IF_NONE_MATCH=etag)
        assert answer.status_code == 200 and answer["ETag"] != etag


def test_a_response_that_sets_a_cookie_carries_no_member_etag(work: Work) -> None:
    client = Client()
    client.force_login(_member("wren"))
    # No CSRF cookie yet: this answer sets one, so no copy of it could be reused with the old cookies.
    first = client.get(f"/works/{work.pk}/chapters/1")
    assert "csrftoken" in first.cookies and not first.get("ETag", "").startswith('"m-')
