"""Kudos, comments, bookmarks, subscriptions and exclusions through the API: the same rows and
refusals as the site's buttons, nothing done on what the caller cannot see, and a read token refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from fanarchive.archive.actions.api_tokens import do_create_api_token
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.works import do_set_work_flags
from fanarchive.archive.models import Bookmark, Comment, ExcludedTag, Kudos, Mute, Subscription, User, Work

pytestmark = pytest.mark.django_db


def account(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


@pytest.fixture
def reader() -> tuple[User, dict[str, str]]:
    user = account("reader")
    _token, plaintext = do_create_api_token(user, "test", ["read", "write"])
    return user, {"Authorization": f"Bearer {plaintext}"}


def send(client: Client, method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def test_kudos_count_once_and_never_on_ones_own_work(
    client: Client, make_work: Callable[..., Work], reader: tuple[User, dict[str, str]]
) -> None:
    user, headers = reader
    work = make_work("Gull Weather")
    first = client.post(f"/api/v1/works/{work.pk}/kudos", headers=headers)
    again = client.post(f"/api/v1/works/{work.pk}/kudos", headers=headers)
    assert (first.status_code, first.json(), again.json()) == (201, {"counted": True}, {"counted": False})
    assert Kudos.objects.filter(work=work, user=user).count() == 1
    own = make_work("Mine", owner="reader")
    refused = client.post(f"/api/v1/works/{own.pk}/kudos", headers=headers)
    assert refused.status_code == 400 and "own work" in refused.json()["detail"]


def test_a_comment_a_reply_an_edit_and_a_delete(
    client: Client, make_work: Callable[..., Work], reader: tuple[User, dict[str, str]]
) -> None:
    _user, headers = reader
    work = make_work("Gull Weather")
    made = send(
        client, "post", f"/api/v1/works/{work.pk}/comments", {"body": "The gulls!", "chapter": 2}, headers
    )
    assert made.status_code == 201 and made.json()["approved"] is True
    comment = Comment.objects.get(pk=made.json()["id"])
    assert comment.chapter is not None and comment.chapter.position == 2
    reply = send(
        client,
        "post",
        f"/api/v1/works/{work.pk}/comments",
        {"body": "Again.", "parent_id": comment.pk},
        headers,
    )
    assert reply.json()["parent_id"] == comment.pk
    assert Comment.objects.get(pk=reply.json()["id"]).chapter_id == comment.chapter_id
    edited = send(client, "patch", f"/api/v1/comments/{comment.pk}", {"body": "The gulls, counted."}, headers)
    assert edited.status_code == 200 and "counted" in Comment.objects.get(pk=comment.pk).body
    # Someone else's comment is as missing as a deleted one.
    other = account("other")
    _t, plaintext = do_create_api_token(other, "t", ["write"])
    theirs = send(
        client,
        "patch",
        f"/api/v1/comments/{comment.pk}",
        {"body": "Mine"},
        {"Authorization": f"Bearer {plaintext}"},
    )
    assert theirs.status_code == 404
    assert client.delete(f"/api/v1/comments/{reply.json()['id']}", headers=headers).status_code == 204


def test_bookmarks_are_made_changed_and_deleted(
    client: Client, make_work: Callable[..., Work], reader: tuple[User, dict[str, str]]
) -> None:
    _user, headers = reader
    work = make_work("Gull Weather")
    made = send(
        client,
        "post",
        "/api/v1/bookmarks",
        {"work_id": work.pk, "notes": "Reread.", "tags": ["Comfort"]},
        headers,
    )
    assert made.status_code == 201, made.content
    assert made.json()["tags"] == ["Comfort"] and made.json()["private"] is False
    bookmark_id = made.json()["id"]
    changed = send(client, "patch", f"/api/v1/bookmarks/{bookmark_id}", {"private": True}, headers)
    assert changed.json()["private"] is True and changed.json()["tags"] == ["Comfort"]
    assert "Reread." in changed.json()["notes"]
    assert client.delete(f"/api/v1/bookmarks/{bookmark_id}", headers=headers).status_code == 204
    assert not Bookmark.objects.exists()
    both = send(client, "post", "/api/v1/bookmarks", {}, headers)
    assert both.status_code == 400


def test_subscriptions_and_exclusions(
    client: Client, make_work: Callable[..., Work], reader: tuple[User, dict[str, str]]
) -> None:
    user, headers = reader
    work = make_work("Gull Weather", owner="ada")
    by_work = send(client, "post", "/api/v1/subscriptions", {"work_id": work.pk}, headers)
    by_tag = send(client, "post", "/api/v1/subscriptions", {"tag": "Saltmarsh Chronicles"}, headers)
    by_creator = send(client, "post", "/api/v1/subscriptions", {"username": "ada"}, headers)
    assert [r.status_code for r in (by_work, by_tag, by_creator)] == [201, 201, 201]
    assert by_tag.json()["kind"] == "tag" and by_creator.json()["username"] == "ada"
    listed = client.get("/api/v1/subscriptions", headers=headers).json()
    assert [s["kind"] for s in listed] == ["work", "tag", "creator"]
    assert client.delete(f"/api/v1/subscriptions/{by_work.json()['id']}", headers=headers).status_code == 204
    assert Subscription.objects.filter(user=user).count() == 2
    assert send(client, "post", "/api/v1/subscriptions", {"tag": "No Such Tag"}, headers).status_code == 404

    excluded = send(client, "post", "/api/v1/exclusions/tags", {"name": "found family"}, headers)
    assert excluded.status_code == 200 and excluded.json()["tags"] == ["Found Family"]
    muted = send(client, "post", "/api/v1/exclusions/mutes", {"name": "ada"}, headers)
    assert muted.json()["muted"] == ["ada"]
    prefs = send(client, "put", "/api/v1/exclusions", {"crossovers": False, "words_from": 1000}, headers)
    assert prefs.json()["crossovers"] is False and prefs.json()["words_from"] == 1000
    # The listing leaves out what was excluded, as the /works page does.
    assert client.get("/api/v1/works", headers=headers).json()["total"] == 0
    assert client.delete("/api/v1/exclusions/tags/Found Family", headers=headers).json()["tags"] == []
    assert client.delete("/api/v1/exclusions/mutes/ada", headers=headers).json()["muted"] == []
    assert not ExcludedTag.objects.exists() and not Mute.objects.exists()


def test_nothing_is_done_on_what_the_caller_cannot_see(
    client: Client, make_work: Callable[..., Work], reader: tuple[User, dict[str, str]]
) -> None:
    _user, headers = reader
    work = make_work("Gull Weather")
    do_set_work_flags(work, posted=False, restricted=False, hidden_by_admin=False)
    for url, body in [
        (f"/api/v1/works/{work.pk}/kudos", None),
        (f"/api/v1/works/{work.pk}/comments", {"body": "Hello"}),
        ("/api/v1/bookmarks", {"work_id": work.pk}),
        ("/api/v1/subscriptions", {"work_id": work.pk}),
    ]:
        assert send(client, "post", url, body or {}, headers).status_code == 404, url
    assert not Kudos.objects.exists() and not Comment.objects.exists() and not Subscription.objects.exists()


def test_a_read_token_cannot_react(client: Client, make_work: Callable[..., Work]) -> None:
    user = account("looker")
    _token, plaintext = do_create_api_token(user, "read only", ["read"])
    work = make_work("Gull Weather")
    answer = client.post(f"/api/v1/works/{work.pk}/kudos", headers={"Authorization": f"Bearer {plaintext}"})
    assert answer.status_code == 403 and not Kudos.objects.exists()


def test_numbers_past_what_the_database_holds_are_refused_not_a_server_error(
    client: Client, make_work: Callable[..., Work], reader: tuple[User, dict[str, str]]
) -> None:
    """Found by schemathesis: a words_from of 10**20 reached the database and overflowed (500)."""
    _user, headers = reader
    huge = 10**20
    work = make_work("Gull Weather")
    assert send(client, "put", "/api/v1/exclusions", {"words_from": huge}, headers).status_code == 422
    assert client.delete(f"/api/v1/subscriptions/{huge}", headers=headers).status_code == 422
    assert client.delete(f"/api/v1/webhooks/{huge}", headers=headers).status_code == 422
    assert (
        send(client, "post", "/api/v1/bookmarks", {"work_id": work.pk, "pseud_id": huge}, headers).status_code
        == 422
    )
