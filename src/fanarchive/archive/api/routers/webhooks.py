"""A member's webhooks (scope `write`): create, list, change, delete, and see recent deliveries.
Only one's own: another member's webhook answers 404 like one that never existed."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.webhooks import do_create_webhook, do_delete_webhook, do_update_webhook
from fanarchive.archive.api.auth import require_scope
from fanarchive.archive.api.errors import ERRORS, Problem
from fanarchive.archive.api.schemas.ids import path_id
from fanarchive.archive.api.schemas.webhooks import Delivery, WebhookCreated, WebhookIn, WebhookPatch
from fanarchive.archive.api.schemas.webhooks import Webhook as WebhookOut
from fanarchive.archive.models import User, Webhook, WebhookDelivery

router = Router(tags=["webhooks"])
RECENT_DELIVERIES = 50


def _own(user: User, webhook_id: int) -> Webhook:
    webhook = Webhook.objects.filter(user=user, pk=webhook_id).first()
    if webhook is None:
        raise Http404("No such webhook")
    return webhook


@router.get("/webhooks", response={200: list[WebhookOut], **ERRORS}, summary="Your webhooks")
def list_webhooks(request: HttpRequest) -> list[Webhook]:
    user = require_scope(request, "write")
    return list(Webhook.objects.filter(user=user).order_by("pk"))


@router.post("/webhooks", response={201: WebhookCreated, 400: Problem, **ERRORS}, summary="Add a webhook")
def create_webhook(request: HttpRequest, body: WebhookIn) -> Status[Webhook]:
    """A signed POST reaches `url` whenever something you subscribe to gets a new work or chapter
    (the same events as your inbox). The secret is shown only in this answer."""
    user = require_scope(request, "write")
    try:
        return Status(201, do_create_webhook(user, body.url))
    except ActionError as error:
        raise HttpError(400, str(error)) from None


@router.get("/webhooks/{webhook_id}", response={200: WebhookOut, **ERRORS}, summary="One webhook")
def get_webhook(request: HttpRequest, webhook_id: int = path_id()) -> Webhook:
    return _own(require_scope(request, "write"), webhook_id)


@router.patch(
    "/webhooks/{webhook_id}", response={200: WebhookOut, 400: Problem, **ERRORS}, summary="Change a webhook"
)
def update_webhook(request: HttpRequest, body: WebhookPatch, webhook_id: int = path_id()) -> Webhook:
    webhook = _own(require_scope(request, "write"), webhook_id)
    try:
        return do_update_webhook(webhook, url=body.url, active=body.active)
    except ActionError as error:
        raise HttpError(400, str(error)) from None


@router.delete("/webhooks/{webhook_id}", response={204: None, **ERRORS}, summary="Delete a webhook")
def delete_webhook(request: HttpRequest, webhook_id: int = path_id()) -> Status[None]:
    if not do_delete_webhook(require_scope(request, "write"), webhook_id):
        raise Http404("No such webhook")
    return Status(204, None)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response={200: list[Delivery], **ERRORS},
    summary="A webhook's recent deliveries",
)
def list_deliveries(request: HttpRequest, webhook_id: int = path_id()) -> list[WebhookDelivery]:
    webhook = _own(require_scope(request, "write"), webhook_id)
    return list(WebhookDelivery.objects.filter(webhook=webhook).order_by("-pk")[:RECENT_DELIVERIES])
