"""Scheduled posting: a work draft or a chapter draft carries the time it goes up, and the
scheduler (tasks.post_scheduled, every minute) posts whatever is due.

Until then the draft is `posted=False`, so access.py and the search documents keep it out of every
page, feed and search. Posting is a conditional UPDATE on the row as it was read, so two schedulers
running at once (two workers, or one slow run overlapping the next) post each draft once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.chapters import grow_expected, lock_work, mark_updated, refresh_word_count
from fanarchive.archive.actions.notifications import do_notify_posted
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import Chapter, Work

Schedulable = Work | Chapter


def _work_id(target: Schedulable) -> int:
    return target.pk if isinstance(target, Work) else target.work_id


def check_schedule(target: Schedulable, when: dt.datetime, now: dt.datetime | None = None) -> None:
    if timezone.is_naive(when):
        raise ActionError("A scheduled time needs its time zone.")
    if when <= (now or timezone.now()):
        raise ActionError("Choose a time in the future.")
    if target.posted:
        raise ActionError("Only a draft can be scheduled: this is already posted.")


@transaction.atomic
def do_schedule(target: Schedulable, when: dt.datetime, *, now: dt.datetime | None = None) -> None:
    """Post this draft (work or chapter) at `when`, a time zone-aware time in the future."""
    check_schedule(target, when, now)
    target.scheduled_for = when
    target.save(update_fields=["scheduled_for"])
    enqueue_reindex([_work_id(target)])


def do_schedule_work(work: Work, when: dt.datetime, *, now: dt.datetime | None = None) -> None:
    """For the work form: a work draft that goes up at `when`."""
    do_schedule(work, when, now=now)


@transaction.atomic
def do_unschedule(target: Schedulable) -> None:
    """The draft stays a draft, with no time set."""
    target.scheduled_for = None
    target.save(update_fields=["scheduled_for"])
    enqueue_reindex([_work_id(target)])


def do_post_due(now: dt.datetime) -> int:
    """Post every work and chapter draft whose time is `now` or before; returns how many were posted
    by this call. Works first, so a chapter scheduled with its work is posted in the same run."""
    posted = 0
    due_works = Work.objects.filter(posted=False, scheduled_for__lte=now).order_by("scheduled_for", "pk")
    for work_id, when in due_works.values_list("pk", "scheduled_for"):
        posted += _post_work(work_id, when)
    due_chapters = Chapter.objects.filter(posted=False, scheduled_for__lte=now).order_by(
        "scheduled_for", "pk"
    )
    for chapter_id, work_id, when in due_chapters.values_list("pk", "work_id", "scheduled_for"):
        posted += _post_chapter(chapter_id, work_id, when)
    return posted


@transaction.atomic
def _post_work(work_id: int, when: dt.datetime | None) -> int:
    if when is None:  # the filter leaves those out; the column itself may be empty
        return 0
    day = timezone.localdate(when)
    # Only the row still as it was read: another scheduler may have posted it, or its author
    # posted, unscheduled or moved it since.
    changed = Work.objects.filter(pk=work_id, posted=False, scheduled_for=when).update(
        posted=True, published=day, updated=day, scheduled_for=None
    )
    if not changed:
        return 0
    work = lock_work(work_id)
    # Posting a draft work posts all of it (as AO3 does), less chapters that have times of their own.
    work.chapters.filter(posted=False, scheduled_for__isnull=True).update(posted=True, published=day)
    work.chapters.filter(posted=True, published__isnull=True).update(published=day)
    grow_expected(work)
    refresh_word_count(work)
    enqueue_reindex([work_id])
    do_notify_posted(work=work)
    return 1


@transaction.atomic
def _post_chapter(chapter_id: int, work_id: int, when: dt.datetime | None) -> int:
    if when is None:
        return 0
    day = timezone.localdate(when)
    work = lock_work(work_id)
    changed = Chapter.objects.filter(pk=chapter_id, posted=False, scheduled_for=when).update(
        posted=True, published=day, scheduled_for=None
    )
    if not changed:
        return 0
    mark_updated(work, day)
    grow_expected(work)
    refresh_word_count(work)
    enqueue_reindex([work_id])
    if work.posted:
        do_notify_posted(chapter=Chapter.objects.get(pk=chapter_id))
    return 1
