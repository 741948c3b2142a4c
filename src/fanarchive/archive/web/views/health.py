"""/healthz: whether this archive can serve, for a load balancer or a process supervisor."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from fanarchive.archive.indexing.service import get_backend
from fanarchive.archive.observability.backlog import outbox_backlog, queue_depth

# Changes waiting longer than this mean the indexer is not keeping up (or not running).
MAX_OUTBOX_AGE_SECONDS = 300.0


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, the cache and the task queue work, the search index opens and
    the outbox is drained in time; 503 otherwise. Counts only: nothing about any work is told."""
    body: dict[str, Any] = {
        "database": False,
        "cache": False,
        "queue": False,
        "index": False,
        "outbox_pending": None,
        "outbox_oldest_seconds": None,
        "queue_pending": None,
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["outbox_pending"], body["outbox_oldest_seconds"] = outbox_backlog()
        body["database"] = True
    except Exception as error:
        body["database_error"] = type(error).__name__
    try:
        # A shared cache (Redis) that is down fails here, not in the middle of a reader's page.
        cache.set("healthz", "1", 10)
        body["cache"] = cache.get("healthz") == "1"
    except Exception as error:
        body["cache_error"] = type(error).__name__
    try:
        body["queue_pending"] = queue_depth()
        body["queue"] = True
    except Exception as error:
        body["queue_error"] = type(error).__name__
    try:
        get_backend().count()
        body["index"] = True
    except Exception as error:
        body["index_error"] = type(error).__name__
    lagging = (body["outbox_oldest_seconds"] or 0.0) > MAX_OUTBOX_AGE_SECONDS
    body["ok"] = bool(body["database"] and body["cache"] and body["queue"] and body["index"] and not lagging)
    return JsonResponse(body, status=200 if body["ok"] else 503)
