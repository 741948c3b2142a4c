"""Webhooks and their deliveries as the API shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class WebhookIn(Schema):
    url: str = Field(..., max_length=500, description="http(s) address that receives signed POSTs")


class WebhookPatch(Schema):
    url: str | None = Field(None, max_length=500)
    active: bool | None = None


class Webhook(Schema):
    id: int
    url: str
    active: bool
    created_at: dt.datetime


class WebhookCreated(Webhook):
    secret: str = Field(..., description="Key of the HMAC-SHA256 in X-Fanarchive-Signature; shown only now")


class Delivery(Schema):
    id: int
    event: str
    status: str = Field(..., description="pending, delivered or failed")
    attempts: int
    last_error: str
    payload: dict[str, Any]
    created_at: dt.datetime
    delivered_at: dt.datetime | None
