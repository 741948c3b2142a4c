"""/healthz: whether this archive can serve, for a load balancer or a process supervisor."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from fanarchive.archive.indexing.service import get_backend
from fanarchive.archive.models import SearchOutbox

# Changes waiting longer than this mean the indexer is not keeping up (or not running).
MAX_OUTBOX_AGE_SECONDS = 300.0


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, the search index opens and the outbox is drained in time;
    503 otherwise. Counts only: nothing about any work is told."""
    body: dict[str, Any] = {
        "database": False,
        "index": False,
        "outbox_pending": None,
        "outbox_oldest_seconds": None,
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = SearchOutbox.objects.aggregate(oldest=Min("created_at"))
        body["outbox_pending"] = SearchOutbox.objects.count()
        oldest = pending["oldest"]
        body["outbox_oldest_seconds"] = (
            round((timezone.now() - oldest).total_seconds(), 3) if oldest is not None else 0.0
        )
        body["database"] = True
    except Exception as error:
        body["database_error"] = type(error).__name__
    try:
        get_backend().count()
        body["index"] = True
    except Exception as error:
        body["index_error"] = type(error).__name__
    lagging = (body["outbox_oldest_seconds"] or 0.0) > MAX_OUTBOX_AGE_SECONDS
    body["ok"] = bool(body["database"] and body["index"] and not lagging)
    return JsonResponse(body, status=200 if body["ok"] else 503)
