"""Load shedding: a request that waited too long for a worker thread is answered 503 at once.

Past its capacity a server's queue only grows, and every reader waits for the ones ahead of them
until clients time out. Answering the overflow with 503 and `Retry-After` costs microseconds and
keeps the wait of the requests that are served short. The wait is measured by `fanarchive serve`'s
gunicorn worker (`cli/serve_worker.py`): it stamps each connection when it is queued for a thread
and hands the stamp to the thread that takes it. Under any other server the wait is unknown and
nothing is shed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_queued = threading.local()


def set_queued_at(moment: float | None) -> None:
    """Called by the serving thread before it handles a connection's request (monotonic clock)."""
    _queued.at = moment


def queued_seconds(now: float | None = None) -> float | None:
    """How long the request this thread handles waited for it, or None if unknown."""
    moment: float | None = getattr(_queued, "at", None)
    if moment is None:
        return None
    return (time.monotonic() if now is None else now) - moment


class LoadSheddingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit_ms: int = settings.LOAD_SHED_QUEUE_MS
        waited = queued_seconds()
        if limit_ms and waited is not None and waited * 1000 > limit_ms:
            response = HttpResponse(
                "The archive is busy; please try again in a moment.\n",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(settings.LOAD_SHED_RETRY_AFTER)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
