"""ETag and 304 for JSON answers: the tag is a hash of the body, so it changes exactly when what
this caller would be sent changes (bodies differ by viewer, so caches must keep them apart)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema
from pydantic import TypeAdapter

_LIST = TypeAdapter(list[Any])


def etagged(request: HttpRequest, body: Schema | list[Any]) -> HttpResponse:
    data = _LIST.dump_json(body) if isinstance(body, list) else body.model_dump_json().encode()
    tag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
    sent = {part.strip().removeprefix("W/") for part in request.headers.get("If-None-Match", "").split(",")}
    if tag in sent or "*" in sent:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type="application/json")
    response["ETag"] = tag
    # What is answered depends on who asks: never shared between callers.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Cookie"
    return response
