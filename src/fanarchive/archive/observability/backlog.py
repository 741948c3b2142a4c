"""How far behind the background work is: the search outbox and huey's queue. Read by /healthz and by
the metrics scrape."""

from __future__ import annotations

from django.db.models import Min
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from fanarchive.archive.models import SearchOutbox


def outbox_backlog() -> tuple[int, float]:
    """(changes waiting, age in seconds of the oldest, 0 when none)."""
    row = SearchOutbox.objects.aggregate(oldest=Min("created_at"))
    pending = SearchOutbox.objects.count()
    oldest = row["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest is not None else 0.0
    return pending, round(max(age, 0.0), 3)


def queue_depth() -> int:
    return int(HUEY.pending_count())
