"""Webhook deliveries: a signed JSON POST to each subscriber's endpoints when a work or chapter they
follow is posted.

The body is signed with HMAC-SHA256 under the webhook's secret, sent as
`X-Fanarchive-Signature: sha256=<hex>`, with `X-Fanarchive-Event`, `X-Fanarchive-Delivery` (the same
id on every retry, for receivers to drop repeats: delivery is at least once) and
`X-Fanarchive-Timestamp`. A delivery is first tried by a task queued when the post commits; one that
fails is tried again by the minute's sweep (archive/tasks.py) after BACKOFF, then marked failed. The
rows are the queue, as for mail: a worker that was down catches up."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import db_task

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.webhooks import (
    PENDING,
    check_webhook_url,
    do_queue_deliveries,
    do_record_attempt,
)
from fanarchive.archive.feeds import links
from fanarchive.archive.models import Chapter, Subscription, WebhookDelivery, Work

# Seconds after creation each retry waits for (cumulative): 1 min, 5 min, 30 min, 2 h, 12 h; the
# sixth failure is final. A receiver down for an afternoon still gets everything.
BACKOFF = (60, 300, 1800, 7200, 43200)
TIMEOUT = httpx.Timeout(10.0)
USER_AGENT = "fanarchive-webhooks/1"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _subscription_kind(subscription: Subscription) -> str:
    for kind in ("work", "series", "creator", "tag"):
        if getattr(subscription, f"{kind}_id") is not None:
            return kind
    return "unknown"


def _payload(work: Work, chapter: Chapter | None, subscription: Subscription) -> dict[str, Any]:
    return {
        "work": {"id": work.pk, "title": work.title, "url": links.work_url(work.pk)},
        "chapter": None
        if chapter is None
        else {
            "id": chapter.pk,
            "position": chapter.position,
            "title": chapter.title,
            "url": links.chapter_url(work.pk, chapter.position),
        },
        "subscription": {"id": subscription.pk, "kind": _subscription_kind(subscription)},
    }


def queue_posted(work: Work, chapter: Chapter | None, recipients: dict[int, Subscription]) -> int:
    """Queue a delivery to each recipient's active webhooks (the same people the inbox tells);
    the first attempt runs once the post commits. Returns how many deliveries."""
    if not recipients:
        return 0
    event = "work.posted" if chapter is None else "chapter.posted"
    payloads = {user_id: _payload(work, chapter, sub) for user_id, sub in recipients.items()}
    created = do_queue_deliveries(event, payloads)
    ids = [delivery.pk for delivery in created]
    if ids:
        transaction.on_commit(lambda: [deliver_webhook_task(pk) for pk in ids])
    return len(ids)


def due(delivery: WebhookDelivery, now: dt.datetime) -> bool:
    """A pending delivery is due when the backoff for the attempts it has had has passed."""
    if delivery.attempts == 0:
        return True
    wait = BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
    return now >= delivery.created_at + dt.timedelta(seconds=wait)


def deliver(delivery_id: int) -> str:
    """Try one delivery; returns its status afterwards (delivered, pending, failed)."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != PENDING:
        return "" if delivery is None else delivery.status
    webhook = delivery.webhook
    final = delivery.attempts + 1 > len(BACKOFF)
    if not webhook.active:
        return do_record_attempt(delivery.pk, error="the webhook was turned off", give_up=True).status
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Fanarchive-Event": delivery.event,
        "X-Fanarchive-Delivery": str(delivery.pk),
        "X-Fanarchive-Timestamp": str(int(time.time())),
        "X-Fanarchive-Signature": signature(webhook.secret, body),
    }
    try:
        address = check_webhook_url(webhook.url)
    except ActionError as error:
        return do_record_attempt(delivery.pk, error=str(error), give_up=True).status
    failure = _post(webhook.url, body, headers, address)
    return do_record_attempt(delivery.pk, error=failure, give_up=final and bool(failure)).status


def _post(url: str, body: bytes, headers: dict[str, str], address: str | None = None) -> str:
    """POST and return "" on a 2xx answer, else the reason. With `address`, the connection goes to
    that checked address while Host (and TLS's SNI and certificate check) keep the URL's name.
    Redirects are not followed (they could point inside the network) and the answer's body is never
    read (it could be endless)."""
    extensions: dict[str, Any] = {}
    if address is not None:
        parts = urlsplit(url)
        host = f"[{address}]" if ":" in address else address
        headers = {**headers, "Host": parts.netloc}
        url = urlunsplit(parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host))
        if parts.scheme == "https":
            extensions["sni_hostname"] = parts.hostname
    try:
        with (
            httpx.Client(timeout=TIMEOUT, follow_redirects=False) as client,
            client.stream("POST", url, content=body, headers=headers, extensions=extensions) as response,
        ):
            if 200 <= response.status_code < 300:
                return ""
            return f"answered HTTP {response.status_code}"
    except httpx.HTTPError as error:
        return f"could not be reached ({type(error).__name__}: {error})"


def deliver_due(now: dt.datetime | None = None, limit: int = 500, budget_seconds: float = 45.0) -> int:
    """Retry the pending deliveries whose backoff has passed; returns how many were tried. New ones
    are left to their own task for a minute, so the two don't both send the first attempt. The sweep
    stops after `budget_seconds` (receivers that time out take 10 s each), before the next minute's
    sweep starts: what is left waits for it."""
    now = now or timezone.now()
    stop = time.monotonic() + budget_seconds
    tried = 0
    for delivery in WebhookDelivery.objects.filter(status=PENDING).order_by("pk")[:limit]:
        if time.monotonic() >= stop:
            break
        if delivery.attempts == 0 and now - delivery.created_at < dt.timedelta(minutes=1):
            continue
        if due(delivery, now):
            deliver(delivery.pk)
            tried += 1
    return tried


deliver_webhook_task = db_task(name="deliver_webhook")(deliver)
