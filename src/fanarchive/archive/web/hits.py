"""Counting a reader's visit to a work, whether the page was made now or came from the page cache."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from fanarchive.archive.actions.hits import do_record_hit, visitor_key
from fanarchive.archive.models import Work
from fanarchive.archive.pagecache.versions import SITE, STORE_ERRORS, version_store

_DAY_SECONDS = 24 * 60 * 60


def count_hit(request: HttpRequest, work_id: int) -> None:
    day: dt.date = timezone.now().date()
    key = visitor_key(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_USER_AGENT", ""),
        # A page from the cache is answered before authentication, and only to readers with no session.
        user.pk if (user := getattr(request, "user", None)) is not None and user.is_authenticated else None,
        day,
    )
    # A visitor counted today needs no write, and asking the database costs one: a refused insert
    # still takes the write lock, which SQLite holds for the whole archive, so a reader paging
    # through a work's chapters serialized every worker. The note is per process (or in Redis);
    # a process that has not seen the visitor asks the database, which stays the judge. The page
    # version in the note's key makes it forget when rows change under it (a test's rollback).
    try:
        site = version_store().read([SITE])[0]
    except STORE_ERRORS:
        site = "unknown"  # the note then only lives as long as the cache keeps it; the database judges
    seen = f"hit-counted:{site}:{work_id}:{key}"
    if cache.add(seen, True, timeout=_DAY_SECONDS):
        # Only the key is needed to count: no query for the work a cached page already showed.
        do_record_hit(Work(pk=work_id), key, day)
    # The page cache keeps this, to count the hit again each time it serves the stored page.
    request.page_cache_hit_work = work_id  # type: ignore[attr-defined]
