"""Counting a reader's visit to a work, whether the page was made now or came from the page cache."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone

from fanarchive.archive.actions.hits import do_record_hit, visitor_key
from fanarchive.archive.models import Work


def count_hit(request: HttpRequest, work_id: int) -> None:
    day: dt.date = timezone.now().date()
    key = visitor_key(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_USER_AGENT", ""),
        request.user.pk if request.user.is_authenticated else None,
        day,
    )
    # Only the key is needed to count: no query for the work a cached page already showed.
    do_record_hit(Work(pk=work_id), key, day)
    # The page cache keeps this, to count the hit again each time it serves the stored page.
    request.page_cache_hit_work = work_id  # type: ignore[attr-defined]
