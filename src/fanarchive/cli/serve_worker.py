"""The gunicorn worker of `fanarchive serve`: gthread, stamping when each request waits for a thread.

gunicorn's threaded worker queues a connection for its thread pool as soon as it is accepted or,
kept alive, has a new request to read; under overload that queue grows without bound. The stamp
lets `archive.web.load_shedding` answer requests that waited past the limit with 503 instead of
serving them after their client gave up."""

from __future__ import annotations

import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from fanarchive.archive.web.load_shedding import set_queued_at


class QueueTimedWorker(ThreadWorker):  # type: ignore[misc]
    def enqueue_req(self, conn: Any) -> None:
        conn.fanarchive_queued_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        set_queued_at(getattr(conn, "fanarchive_queued_at", None))
        try:
            return super().handle(conn)
        finally:
            set_queued_at(None)
