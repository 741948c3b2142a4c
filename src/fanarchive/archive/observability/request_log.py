"""One line per request: Prometheus timings always, and with FANARCHIVE_LOG_FORMAT=json a JSON log
line a log shipper can read without parsing (method, path, status, duration, view, user id, bytes).

The path is logged without its query string: a search or a token in it is the reader's business."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from fanarchive.archive.observability.metrics import REQUEST_SECONDS

logger = logging.getLogger("fanarchive.requests")


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: its message, level and time, and any `fields` passed in `extra`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _view_name(request: HttpRequest) -> str:
    # The route's name, not the path: one series per view, however many works there are.
    cached = getattr(request, "page_cache_view", None)  # answered by the page cache, before routing
    if cached is not None:
        return str(cached)
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


class RequestObservationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        view = _view_name(request)
        REQUEST_SECONDS.labels(
            view=view, method=request.method or "", status=f"{response.status_code // 100}xx"
        ).observe(seconds)
        if settings.LOG_FORMAT == "json":
            user = getattr(request, "user", None)
            fields = {
                "request_id": request.META.get("HTTP_X_REQUEST_ID") or uuid.uuid4().hex,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 3),
                "view": view,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "bytes": len(response.content) if not response.streaming else None,
            }
            logger.info("request", extra={"fields": fields})
        return response
