"""A creator's changes to the chapters of their work: add, edit, delete, reorder, post a chapter
draft, and the work's expected chapter count and completeness.

Each action locks the work row first, so two changes to one work's chapters (two browser tabs, the
scheduler posting a chapter while its author deletes another) run one after the other and the
work's word count, always the sum of its posted chapters, is computed from what the other committed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.comments import recount_comments
from fanarchive.archive.actions.notifications import do_notify_posted
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import Chapter, Work
from fanarchive.domain.authored_text import HTML, authored_html
from fanarchive.domain.limits import DEFAULT_LIMITS
from fanarchive.domain.sanitize import SANITIZER_VERSION
from fanarchive.domain.text import count_words

_MEDIA = re.compile(r"<(?:img|audio|video|iframe)\b")


@dataclass(frozen=True)
class ChapterText:
    """What the author typed; every text field is in `text_format` and is sanitised on saving."""

    body: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    text_format: str = HTML


def lock_work(work_id: int) -> Work:
    """The work's row, locked until the transaction ends (PostgreSQL; SQLite's IMMEDIATE
    transactions already hold the one write lock)."""
    return Work.objects.select_for_update().get(pk=work_id)


def refresh_word_count(work: Work) -> None:
    """Readers see posted chapters only, so only those count."""
    total = work.chapters.filter(posted=True).aggregate(total=Sum("word_count"))["total"] or 0
    work.word_count = total
    work.save(update_fields=["word_count"])


def posted_count(work: Work) -> int:
    return work.chapters.filter(posted=True).count()


def grow_expected(work: Work) -> None:
    # As AO3 does: a work with more posted chapters than it said it would have now expects them.
    if work.expected_chapters is not None and posted_count(work) > work.expected_chapters:
        work.expected_chapters = posted_count(work)
        work.save(update_fields=["expected_chapters"])


def _fill(chapter: Chapter, text: ChapterText) -> None:
    chapter.title = text.title.strip()[:255]
    chapter.summary = authored_html(text.summary, text.text_format)
    chapter.notes = authored_html(text.notes, text.text_format)
    chapter.end_notes = authored_html(text.end_notes, text.text_format)
    chapter.body = authored_html(text.body, text.text_format)
    chapter.sanitizer_version = SANITIZER_VERSION
    chapter.word_count = count_words(chapter.body)


def check_chapter_text(text: ChapterText) -> None:
    try:
        body = authored_html(text.body, text.text_format)
    except ValueError as error:
        raise ActionError(str(error)) from error
    # A chapter of fan art or a podfic has no words, but it has something to show.
    if count_words(body) == 0 and _MEDIA.search(body) is None:
        raise ActionError("A chapter needs some text.")


def mark_updated(work: Work, day: dt.date) -> None:
    if work.posted and day > work.updated:
        work.updated = day
        work.save(update_fields=["updated"])


@transaction.atomic
def do_add_chapter(work: Work, text: ChapterText, *, posted: bool, today: dt.date | None = None) -> Chapter:
    """A new last chapter; a draft (`posted=False`) stays unseen until posted or scheduled."""
    check_chapter_text(text)
    work = lock_work(work.pk)
    if work.chapters.count() >= DEFAULT_LIMITS.max_chapters:
        raise ActionError(f"A work may have at most {DEFAULT_LIMITS.max_chapters} chapters.")
    today = today or timezone.localdate()
    last = work.chapters.aggregate(last=Max("position"))["last"] or 0
    chapter = Chapter(work=work, position=last + 1, posted=posted, published=today if posted else None)
    _fill(chapter, text)
    chapter.save()
    if posted:
        mark_updated(work, today)
        grow_expected(work)
    refresh_word_count(work)
    enqueue_reindex([work.pk])
    if posted and work.posted:
        do_notify_posted(chapter=chapter)
    return chapter


@transaction.atomic
def do_edit_chapter(chapter: Chapter, text: ChapterText) -> None:
    check_chapter_text(text)
    work = lock_work(chapter.work_id)
    _fill(chapter, text)
    chapter.save(
        update_fields=["title", "summary", "notes", "end_notes", "body", "sanitizer_version", "word_count"]
    )
    refresh_word_count(work)
    enqueue_reindex([work.pk])


def check_delete_chapter(chapter: Chapter) -> None:
    others = chapter.work.chapters.exclude(pk=chapter.pk)
    if not others.exists():
        raise ActionError("A work keeps at least one chapter: delete the work instead.")
    if chapter.work.posted and chapter.posted and not others.filter(posted=True).exists():
        raise ActionError("This is the only posted chapter: post another one before deleting it.")


@transaction.atomic
def do_delete_chapter(chapter: Chapter) -> None:
    work = lock_work(chapter.work_id)
    check_delete_chapter(chapter)
    chapter.delete()
    _renumber(list(work.chapters.order_by("position").values_list("pk", flat=True)))
    refresh_word_count(work)
    # The chapter's comments went with it: the work's count follows (the index sorts by it).
    recount_comments(work.pk)


def check_reorder(work: Work, order: Sequence[int]) -> None:
    ids = set(work.chapters.values_list("pk", flat=True))
    if len(order) != len(ids) or set(order) != ids:
        raise ActionError("Give every chapter of the work one position.")


@transaction.atomic
def do_reorder_chapters(work: Work, order: Sequence[int]) -> None:
    """`order`: the ids of all the work's chapters, first chapter first."""
    work = lock_work(work.pk)
    check_reorder(work, order)
    _renumber(list(order))
    enqueue_reindex([work.pk])


def _renumber(order: list[int]) -> None:
    # chapter_unique_position holds after every row's update, not only at the end: first move
    # every chapter past the highest position in use, then into 1..n.
    if not order:
        return
    work_id = Chapter.objects.filter(pk=order[0]).values_list("work_id", flat=True).get()
    above = (Chapter.objects.filter(work_id=work_id).aggregate(top=Max("position"))["top"] or 0) + 1
    for index, chapter_id in enumerate(order):
        Chapter.objects.filter(pk=chapter_id).update(position=above + index)
    for index, chapter_id in enumerate(order):
        Chapter.objects.filter(pk=chapter_id).update(position=index + 1)


@transaction.atomic
def do_post_chapter(chapter: Chapter, today: dt.date | None = None) -> bool:
    """Post a chapter draft now (a time it was scheduled for is dropped). False when it was already
    posted: a second click, or the scheduler got there first."""
    work = lock_work(chapter.work_id)
    today = today or timezone.localdate()
    changed = Chapter.objects.filter(pk=chapter.pk, posted=False).update(
        posted=True, published=today, scheduled_for=None
    )
    if not changed:
        return False
    mark_updated(work, today)
    grow_expected(work)
    refresh_word_count(work)
    enqueue_reindex([work.pk])
    chapter.refresh_from_db()
    if work.posted:
        do_notify_posted(chapter=chapter)
    return True


def check_chapter_count(work: Work, expected: int | None) -> None:
    if expected is not None and expected < max(posted_count(work), 1):
        raise ActionError(f"The work already has {posted_count(work)} posted chapters.")


@transaction.atomic
def do_set_chapter_count(work: Work, *, expected: int | None, complete: bool) -> None:
    """AO3's "Chapters: 3/?" and the complete mark. A complete work with no expected count expects
    the chapters it has."""
    work = lock_work(work.pk)
    check_chapter_count(work, expected)
    if complete and expected is None:
        expected = max(posted_count(work), 1)
    work.expected_chapters, work.complete = expected, complete
    work.save(update_fields=["expected_chapters", "complete"])
    enqueue_reindex([work.pk])
