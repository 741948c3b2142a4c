"""Webhooks: a member's endpoints, and the deliveries queued for them when something they subscribe
to gets a new work or chapter. Sending is archive/notify/webhooks.py's; the rows are written here."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
import socket
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fanarchive.archive.actions import ActionError
from fanarchive.archive.models import User, Webhook, WebhookDelivery

# Enough for a handful of integrations; each is a POST per subscribed post, so no more.
MAX_WEBHOOKS_PER_USER = 10
MAX_URL_LENGTH = 500
DELIVERED, PENDING, FAILED = "delivered", "pending", "failed"


def _forbidden_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_webhook_url(url: str) -> str | None:
    """http(s) only, and (unless FANARCHIVE_WEBHOOK_ALLOW_PRIVATE) every address the host resolves
    to is public: a webhook must not let a member make the server call its own network (SSRF).
    Checked again before each delivery, since a name can be pointed elsewhere after creation.
    Returns the checked address to connect to (None when private addresses are allowed), so that
    the delivery goes where the check looked, not where a second lookup might point (DNS rebinding)."""
    if len(url) > MAX_URL_LENGTH:
        raise ActionError(f"A webhook address can be at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ActionError("That is not a valid address.") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ActionError("A webhook address must start with http:// or https:// and name a host.")
    if parts.username or parts.password:
        raise ActionError("A webhook address cannot carry a user name or password.")
    if settings.WEBHOOK_ALLOW_PRIVATE:
        return None
    try:
        found = socket.getaddrinfo(parts.hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise ActionError(f"The host {parts.hostname} could not be found.") from None
    addresses = [str(info[4][0]) for info in found]
    if not addresses or any(_forbidden_address(address) for address in addresses):
        raise ActionError("A webhook address must be public: loopback and private networks are not allowed.")
    return addresses[0]


@transaction.atomic
def do_create_webhook(user: User, url: str) -> Webhook:
    """A new endpoint with a fresh signing secret (shown to its owner, who checks signatures with it)."""
    url = url.strip()
    check_webhook_url(url)
    if Webhook.objects.filter(user=user).count() >= MAX_WEBHOOKS_PER_USER:
        raise ActionError(f"You can have at most {MAX_WEBHOOKS_PER_USER} webhooks.")
    return Webhook.objects.create(user=user, url=url, secret=secrets.token_hex(32))


@transaction.atomic
def do_update_webhook(webhook: Webhook, *, url: str | None = None, active: bool | None = None) -> Webhook:
    if url is not None:
        url = url.strip()
        check_webhook_url(url)
        webhook.url = url
    if active is not None:
        webhook.active = active
    webhook.save(update_fields=["url", "active"])
    return webhook


@transaction.atomic
def do_delete_webhook(user: User, webhook_id: int) -> bool:
    """Only the user's own webhook: someone else's is as missing as one that never existed."""
    deleted, _ = Webhook.objects.filter(user=user, pk=webhook_id).delete()
    return deleted > 0


@transaction.atomic
def do_queue_deliveries(event: str, payloads: dict[int, dict[str, Any]]) -> list[WebhookDelivery]:
    """One pending delivery per active webhook of each user in `payloads` (user id → payload)."""
    deliveries = [
        WebhookDelivery(webhook=webhook, event=event, payload={"event": event, **payloads[webhook.user_id]})
        for webhook in Webhook.objects.filter(user_id__in=list(payloads), active=True).order_by("pk")
    ]
    return WebhookDelivery.objects.bulk_create(deliveries)


@transaction.atomic
def do_record_attempt(
    delivery_id: int, *, error: str = "", give_up: bool = False, now: dt.datetime | None = None
) -> WebhookDelivery:
    """One attempt's result: delivered when `error` is empty, failed when `give_up`, else pending."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
    delivery.attempts += 1
    delivery.last_error = error[:300]
    if not error:
        delivery.status = DELIVERED
        delivery.delivered_at = now or timezone.now()
    else:
        delivery.status = FAILED if give_up else PENDING
    delivery.save(update_fields=["attempts", "last_error", "status", "delivered_at"])
    return delivery
