"""Posting through the API: works and chapters made, changed, posted and deleted through the site's
forms and actions; a read token cannot write, someone else's work is 404, and a session must send
its CSRF token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fanarchive.archive.actions.api_tokens import do_create_api_token
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.subscriptions import do_subscribe
from fanarchive.archive.models import InboxItem, User, Work
from fanarchive.domain.work import ParsedWork, works_to_json

pytestmark = pytest.mark.django_db

NEW_WORK = {
    "title": "Lamp Oil",
    "rating": "General Audiences",
    "warnings": ["No Archive Warnings Apply"],
    "fandoms": ["Saltmarsh Chronicles"],
    "freeforms": ["Found Family", "Weather"],
    "summary": "Ada trims the *wick*.",
    "chapter_text": "The lamp turned.\n\nThe gulls **counted** back.",
    "text_format": "markdown",
}


def account(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


def bearer(user: User, *scopes: str) -> dict[str, str]:
    _token, plaintext = do_create_api_token(user, "test", scopes)
    return {"Authorization": f"Bearer {plaintext}"}


def send(client: Client, method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def test_a_work_posted_in_markdown_reaches_subscribers_and_reads_back(client: Client) -> None:
    ada, reader = account("ada"), account("reader")
    do_subscribe(reader, ada)
    answer = send(client, "post", "/api/v1/works", {**NEW_WORK, "post": True}, bearer(ada, "write"))
    assert answer.status_code == 201, answer.content
    made = answer.json()
    assert made["posted"] is True and made["url"].endswith(f"/works/{made['id']}")
    work = Work.objects.get(pk=made["id"])
    chapter = work.chapters.get()
    assert "<strong>counted</strong>" in chapter.body and "<em>wick</em>" in work.summary
    assert sorted(work.taggings.values_list("tag__name", flat=True)) == sorted(
        ["General Audiences", "No Archive Warnings Apply", "Saltmarsh Chronicles", "Found Family", "Weather"]
    )
    assert list(InboxItem.objects.filter(user=reader).values_list("kind", "work_id")) == [("work", work.pk)]
    # The reading side of the API (F's router) sees it like anyone else.
    assert client.get(f"/api/v1/works/{work.pk}").status_code == 200


def test_a_draft_is_edited_field_by_field_then_posted(client: Client) -> None:
    ada = account("ada")
    headers = bearer(ada, "write")
    made = send(client, "post", "/api/v1/works", NEW_WORK, headers).json()
    assert made["posted"] is False
    changed = send(client, "patch", f"/api/v1/works/{made['id']}", {"title": "Lamp Oil, Revised"}, headers)
    assert changed.status_code == 200 and changed.json()["title"] == "Lamp Oil, Revised"
    work = Work.objects.get(pk=made["id"])
    # Left out of the PATCH: the tags and the text stay as they were.
    assert "Weather" in work.taggings.values_list("tag__name", flat=True)
    assert "counted" in work.chapters.get().body
    assert client.post(f"/api/v1/works/{work.pk}/post", headers=headers).json()["posted"] is True


def test_what_the_form_refuses_is_a_422_naming_the_field(client: Client) -> None:
    ada = account("ada")
    answer = send(client, "post", "/api/v1/works", {**NEW_WORK, "rating": "Spicy"}, bearer(ada, "write"))
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    assert [e["loc"] for e in answer.json()["errors"]] == [["body", "rating"]]
    assert not Work.objects.exists()


def test_chapters_are_added_edited_posted_and_deleted(client: Client) -> None:
    ada, reader = account("ada"), account("reader")
    headers = bearer(ada, "write")
    made = send(client, "post", "/api/v1/works", {**NEW_WORK, "post": True}, headers).json()
    do_subscribe(reader, Work.objects.get(pk=made["id"]))
    base = f"/api/v1/works/{made['id']}/chapters"
    draft = send(client, "post", base, {"title": "Ebb", "body": "<p>The tide went out.</p>"}, headers)
    assert draft.status_code == 201 and draft.json()["posted"] is False and draft.json()["position"] == 2
    assert not InboxItem.objects.filter(user=reader).exists()
    posted = send(
        client,
        "patch",
        f"{base}/2",
        {"body": "The tide went *out*.", "text_format": "markdown", "post": True},
        headers,
    )
    assert posted.status_code == 200 and posted.json()["posted"] is True
    chapter = Work.objects.get(pk=made["id"]).chapters.get(position=2)
    assert "<em>out</em>" in chapter.body and chapter.title == "Ebb"
    assert InboxItem.objects.filter(user=reader, kind="chapter").count() == 1
    assert client.delete(f"{base}/2", headers=headers).status_code == 204
    assert client.delete(f"{base}/2", headers=headers).status_code == 404
    assert client.delete(f"{base}/1", headers=headers).status_code == 400  # a work keeps one chapter


def test_an_uploaded_file_becomes_a_draft(client: Client, build_parsed: Callable[..., ParsedWork]) -> None:
    ada = account("ada")
    data = works_to_json([build_parsed("Tide Table", authors=("someone",))]).encode()
    answer = client.post(
        "/api/v1/works/upload", {"file": SimpleUploadedFile("tide.json", data)}, headers=bearer(ada, "write")
    )
    assert answer.status_code == 201 and answer.json()["posted"] is False
    work = Work.objects.get(pk=answer.json()["id"])
    assert list(work.creatorships.values_list("pseud__user", flat=True)) == [ada.pk]
    bad = client.post(
        "/api/v1/works/upload",
        {"file": SimpleUploadedFile("x.bin", b"\x00\x01")},
        headers=bearer(ada, "write"),
    )
    assert bad.status_code == 400 and "x.bin" in bad.json()["detail"]


def test_a_read_token_cannot_write_and_others_works_are_missing(client: Client) -> None:
    ada, bo = account("ada"), account("bo")
    refused = send(client, "post", "/api/v1/works", NEW_WORK, bearer(ada, "read"))
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
    assert "write" in refused.json()["detail"]
    assert send(client, "post", "/api/v1/works", NEW_WORK, {}).status_code == 401
    made = send(client, "post", "/api/v1/works", {**NEW_WORK, "post": True}, bearer(ada, "write")).json()
    others = send(client, "patch", f"/api/v1/works/{made['id']}", {"title": "Mine now"}, bearer(bo, "write"))
    missing = send(client, "patch", "/api/v1/works/999999", {"title": "Mine now"}, bearer(bo, "write"))
    assert others.status_code == missing.status_code == 404
    assert others.json() == missing.json()
    assert client.delete(f"/api/v1/works/{made['id']}", headers=bearer(bo, "write")).status_code == 404
    assert Work.objects.filter(pk=made["id"], title="Lamp Oil").exists()


def test_a_session_must_send_its_csrf_token() -> None:
    ada = account("ada")
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    refused = client.post("/api/v1/works", NEW_WORK, content_type="application/json")
    assert refused.status_code in (401, 403) and not Work.objects.exists()
    client.get("/works/new")  # a form page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    allowed = client.post(
        "/api/v1/works", NEW_WORK, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert allowed.status_code == 201
