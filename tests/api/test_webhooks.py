"""Webhooks: who may register which address, and signed deliveries to a real HTTP receiver on
loopback when a subscribed work gets a new chapter or a followed creator a new work, with retries
after a failure and a final give-up."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.chapters import ChapterText, do_add_chapter
from fanarchive.archive.actions.posting import WorkFields, do_create_work
from fanarchive.archive.actions.subscriptions import do_subscribe
from fanarchive.archive.actions.webhooks import (
    MAX_WEBHOOKS_PER_USER,
    check_webhook_url,
    do_create_webhook,
    do_delete_webhook,
)
from fanarchive.archive.models import User, Webhook, WebhookDelivery, Work
from fanarchive.archive.notify.webhooks import BACKOFF, deliver, deliver_due
from support.webhook_receiver import Receiver, webhook_receiver

pytestmark = pytest.mark.django_db


def member(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


def post_work(user: User, title: str) -> Work:
    fields = WorkFields(
        title=title,
        rating="General Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Saltmarsh Chronicles"],
        pseuds=[user.pseuds.get()],
        chapter_text="The lamp turned, and the tide with it.",
    )
    return do_create_work(user, fields, post=True)


@pytest.fixture
def immediate_tasks() -> Iterator[None]:
    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture
def allow_private(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE = True


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/hook",
        "javascript:alert(1)",
        "http:///nohost",
        "http://user:pw@93.184.216.34/hook",
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_only_public_http_addresses_are_accepted(url: str) -> None:
    with pytest.raises(ActionError):
        check_webhook_url(url)


def test_a_public_address_is_accepted_and_private_ones_only_when_allowed(settings: Any) -> None:
    check_webhook_url("https://93.184.216.34/hook")
    settings.WEBHOOK_ALLOW_PRIVATE = True
    check_webhook_url("http://127.0.0.1:8000/hook")
    with pytest.raises(ActionError):
        check_webhook_url("file:///etc/passwd")


def test_each_webhook_gets_its_own_secret_and_only_its_owner_deletes_it(allow_private: None) -> None:
    ada, bo = member("ada"), member("bo")
    first = do_create_webhook(ada, " http://127.0.0.1:9/a ")
    second = do_create_webhook(ada, "http://127.0.0.1:9/b")
    assert first.url == "http://127.0.0.1:9/a"
    assert len(first.secret) == 64 and first.secret != second.secret
    assert not do_delete_webhook(bo, first.pk)
    assert do_delete_webhook(ada, first.pk)
    assert list(Webhook.objects.values_list("pk", flat=True)) == [second.pk]


def test_a_member_has_a_bounded_number_of_webhooks(allow_private: None) -> None:
    ada = member("ada")
    for n in range(MAX_WEBHOOKS_PER_USER):
        do_create_webhook(ada, f"http://127.0.0.1:9/{n}")
    with pytest.raises(ActionError, match="at most"):
        do_create_webhook(ada, "http://127.0.0.1:9/one-more")


def _verify(receiver: Receiver, secret: str) -> dict[str, Any]:
    (request,) = receiver.received
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["x-fanarchive-signature"], expected)
    assert request.headers["content-type"] == "application/json"
    assert abs(int(request.headers["x-fanarchive-timestamp"]) - timezone.now().timestamp()) < 60
    payload: dict[str, Any] = json.loads(request.body)
    assert payload["event"] == request.headers["x-fanarchive-event"]
    return payload


def test_a_new_chapter_is_posted_signed_to_the_subscribers_webhook(
    make_work: Callable[..., Work],
    allow_private: None,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    work = make_work("Tidewater", owner="ada")
    reader, bystander = member("reader"), member("bystander")
    do_subscribe(reader, work)
    with webhook_receiver() as receiver, webhook_receiver() as other:
        hook = do_create_webhook(reader, receiver.url)
        do_create_webhook(bystander, other.url)
        with django_capture_on_commit_callbacks(execute=True):
            chapter = do_add_chapter(work, ChapterText(title="Ebb", body="<p>More.</p>"), posted=True)
        payload = _verify(receiver, hook.secret)
        assert other.received == []  # not subscribed: nothing sent
    assert payload["event"] == "chapter.posted"
    assert payload["work"]["id"] == work.pk and payload["work"]["title"] == "Tidewater"
    assert payload["chapter"]["id"] == chapter.pk and payload["chapter"]["position"] == chapter.position
    assert payload["chapter"]["url"].endswith(f"/works/{work.pk}/chapters/{chapter.position}")
    assert payload["subscription"]["kind"] == "work"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 1, "")


def test_a_failed_delivery_is_retried_after_its_backoff_with_the_same_id(allow_private: None) -> None:
    ada = member("ada")
    reader = member("reader")
    do_subscribe(reader, ada)
    with webhook_receiver([503, 200]) as receiver:
        hook = do_create_webhook(reader, receiver.url)
        post_work(ada, "Second Tide")  # a posted work by a followed creator
        delivery = WebhookDelivery.objects.get()
        assert delivery.event == "work.posted"
        assert deliver(delivery.pk) == "pending"
        delivery.refresh_from_db()
        assert delivery.attempts == 1 and "503" in delivery.last_error
        # Before the first backoff nothing is tried; after it, the retry gets through.
        created = delivery.created_at
        assert deliver_due(created + dt.timedelta(seconds=BACKOFF[0] - 1)) == 0
        # A sweep out of time leaves it for the next minute's.
        assert deliver_due(created + dt.timedelta(seconds=BACKOFF[0] + 1), budget_seconds=0) == 0
        assert deliver_due(created + dt.timedelta(seconds=BACKOFF[0] + 1)) == 1
        first, second = receiver.received
    assert (
        first.headers["x-fanarchive-delivery"] == second.headers["x-fanarchive-delivery"] == str(delivery.pk)
    )
    assert first.body == second.body
    receiver.received = [second]
    assert _verify(receiver, hook.secret)["subscription"]["kind"] == "creator"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_a_receiver_that_keeps_failing_is_given_up_on(allow_private: None) -> None:
    ada, reader = member("ada"), member("reader")
    do_subscribe(reader, ada)
    with webhook_receiver([500]) as receiver:
        do_create_webhook(reader, receiver.url)
        post_work(ada, "Third Tide")
        delivery = WebhookDelivery.objects.get()
        statuses = [deliver(delivery.pk) for _ in range(len(BACKOFF) + 2)]
        assert len(receiver.received) == len(BACKOFF) + 1
    assert statuses == ["pending"] * len(BACKOFF) + ["failed", "failed"]
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "500" in delivery.last_error


def test_an_address_turned_private_is_not_called(settings: Any) -> None:
    """Checked again at delivery: a webhook made while allowed (or a name re-pointed) is not sent."""
    ada, reader = member("ada"), member("reader")
    do_subscribe(reader, ada)
    with webhook_receiver() as receiver:
        settings.WEBHOOK_ALLOW_PRIVATE = True
        do_create_webhook(reader, receiver.url)
        settings.WEBHOOK_ALLOW_PRIVATE = False
        post_work(ada, "Fourth Tide")
        delivery = WebhookDelivery.objects.get()
        assert deliver(delivery.pk) == "failed"
        assert receiver.received == []


def test_webhooks_through_the_api_are_the_callers_own(client: Any, allow_private: None) -> None:
    from fanarchive.archive.actions.api_tokens import do_create_api_token

    ada, bo = member("ada"), member("bo")
    ada_h = {"Authorization": f"Bearer {do_create_api_token(ada, 't', ['write'])[1]}"}
    bo_h = {"Authorization": f"Bearer {do_create_api_token(bo, 't', ['write'])[1]}"}
    reader_h = {"Authorization": f"Bearer {do_create_api_token(ada, 'r', ['read'])[1]}"}
    made = client.post(
        "/api/v1/webhooks", {"url": "http://127.0.0.1:9/a"}, content_type="application/json", headers=ada_h
    )
    assert made.status_code == 201 and len(made.json()["secret"]) == 64
    hook = made.json()["id"]
    listed = client.get("/api/v1/webhooks", headers=ada_h).json()
    assert [h["id"] for h in listed] == [hook] and "secret" not in listed[0]
    assert client.get(f"/api/v1/webhooks/{hook}", headers=bo_h).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{hook}", headers=bo_h).status_code == 404
    assert client.get("/api/v1/webhooks", headers=reader_h).status_code == 403
    off = client.patch(
        f"/api/v1/webhooks/{hook}", {"active": False}, content_type="application/json", headers=ada_h
    )
    assert off.json()["active"] is False
    bad = client.post("/api/v1/webhooks", {"url": "ftp://x"}, content_type="application/json", headers=ada_h)
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert client.get(f"/api/v1/webhooks/{hook}/deliveries", headers=ada_h).json() == []
    assert client.delete(f"/api/v1/webhooks/{hook}", headers=ada_h).status_code == 204
    assert not Webhook.objects.exists()


def test_the_delivery_connects_to_the_address_that_was_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name is looked up once, checked, and that address is the one dialled,
    with the name kept in Host. `pinned.invalid` resolves nowhere, so only the pin can reach it."""
    from fanarchive.archive.notify.webhooks import _post

    real = socket.getaddrinfo

    def lookup(host: str, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        answers = {"hooks.example": ["93.184.216.34"], "mixed.example": ["93.184.216.34", "10.0.0.7"]}
        if host not in answers:
            return real(host, *args, **kwargs)
        return [(2, 1, 6, "", (address, 443)) for address in answers[host]]

    monkeypatch.setattr("fanarchive.archive.actions.webhooks.socket.getaddrinfo", lookup)
    assert check_webhook_url("https://hooks.example/hook") == "93.184.216.34"
    with pytest.raises(ActionError):
        check_webhook_url("https://mixed.example/hook")  # one private answer is enough to refuse
    with webhook_receiver() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        assert _post(f"http://pinned.invalid:{port}/hook", b"{}", {}, "127.0.0.1") == ""
        (request,) = receiver.received
    assert request.headers["host"] == f"pinned.invalid:{port}" and request.path == "/hook"
