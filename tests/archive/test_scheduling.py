"""Scheduled posting: drafts go up at their minute and not before, in listings, feeds, search and by
URL, once however many schedulers run."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from huey.contrib.djhuey import HUEY

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.chapters import ChapterText, do_add_chapter
from fanarchive.archive.actions.scheduling import (
    _post_chapter,
    _post_work,
    do_post_due,
    do_schedule,
    do_schedule_work,
    do_unschedule,
)
from fanarchive.archive.actions.works import do_set_work_flags
from fanarchive.archive.indexing.indexer import drain_all
from fanarchive.archive.indexing.service import get_backend
from fanarchive.archive.models import Chapter, SearchOutbox, Work
from fanarchive.archive.tasks import post_scheduled, post_scheduled_task

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 11, 58, tzinfo=dt.UTC)
AT = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def draft(make_work: Callable[..., Work]) -> Work:
    work = make_work(
        "Zyxsched Harbour", tags={"rating": ["General Audiences"], "fandom": ["Zyxsched Fandom"]}
    )
    do_set_work_flags(work, posted=False, restricted=False, hidden_by_admin=False)
    work.refresh_from_db()
    return work


def _shown(client: Client) -> dict[str, bool]:
    """Whether the scheduled work's title is in each place a reader finds works."""
    pages = {
        "listing": "/works",
        "search": "/works?q=zyxsched",
        "tag feed": "/tags/Zyxsched%20Fandom/feed.atom",
        "recent": "/opds/recent",
        "author feed": "/users/quietharbour/feed.atom",
    }
    return {name: "Zyxsched Harbour" in client.get(url).content.decode() for name, url in pages.items()}


def test_schedule_needs_a_future_aware_time_and_a_draft(draft: Work, make_work: Callable[..., Work]) -> None:
    with pytest.raises(ActionError, match="time zone"):
        do_schedule(draft, AT.replace(tzinfo=None), now=NOW)
    with pytest.raises(ActionError, match="future"):
        do_schedule(draft, NOW - dt.timedelta(minutes=1), now=NOW)
    with pytest.raises(ActionError, match="already posted"):
        do_schedule(make_work("Posted Already"), AT, now=NOW)
    assert Work.objects.get(pk=draft.pk).scheduled_for is None


def test_a_scheduled_work_appears_at_its_minute_and_not_before(
    draft: Work, client: Client, settings: Any
) -> None:
    # The indexer, not the request, brings the index up to date: as in a served archive.
    settings.SEARCH_INDEX_IMMEDIATELY = False
    backend = get_backend()
    do_schedule_work(draft, AT, now=NOW)
    drain_all(backend)
    assert Work.objects.get(pk=draft.pk).scheduled_for == AT

    assert do_post_due(AT - dt.timedelta(seconds=1)) == 0
    drain_all(backend)
    assert not any(_shown(client).values())
    assert client.get(f"/works/{draft.pk}").status_code == 404

    SearchOutbox.objects.all().delete()
    assert do_post_due(AT) == 1
    work = Work.objects.get(pk=draft.pk)
    assert (work.posted, work.scheduled_for, work.published, work.updated) == (
        True,
        None,
        AT.date(),
        AT.date(),
    )
    assert list(SearchOutbox.objects.values_list("work_id", flat=True)) == [draft.pk]
    assert client.get(f"/works/{draft.pk}").status_code in (200, 302)
    drain_all(backend)
    assert _shown(client) == dict.fromkeys(_shown(client), True)


def test_posting_is_idempotent(draft: Work) -> None:
    do_schedule_work(draft, AT, now=NOW)
    assert post_scheduled(AT + dt.timedelta(minutes=3)) == 1
    SearchOutbox.objects.all().delete()
    assert post_scheduled(AT + dt.timedelta(minutes=4)) == 0
    # A scheduler that read the row before another posted it changes nothing.
    assert _post_work(draft.pk, AT) == 0
    assert not SearchOutbox.objects.exists()


def test_two_schedulers_post_a_chapter_once(make_work: Callable[..., Work]) -> None:
    work = make_work(chapters=1)
    chapter = do_add_chapter(work, ChapterText(body="<p>Three more words.</p>"), posted=False)
    do_schedule(chapter, AT, now=NOW)
    # Both read the due chapter; each then tries to post the row as it read it.
    assert _post_chapter(chapter.pk, work.pk, AT) == 1
    assert _post_chapter(chapter.pk, work.pk, AT) == 0
    work.refresh_from_db()
    assert work.word_count == sum(Chapter.objects.filter(work=work).values_list("word_count", flat=True))


def test_a_scheduled_chapter_is_unreadable_until_its_time(
    make_work: Callable[..., Work], client: Client
) -> None:
    work = make_work(chapters=2)
    words = work.word_count
    chapter = do_add_chapter(work, ChapterText(body="<p>Zyxlater arrives at noon.</p>"), posted=False)
    do_schedule(chapter, AT, now=NOW)
    assert client.get(f"/works/{work.pk}/chapters/3").status_code == 404
    assert "zyxlater" not in client.get(f"/works/{work.pk}?view_full_work=true").content.decode().lower()
    assert Work.objects.get(pk=work.pk).word_count == words

    assert do_post_due(AT) == 1
    assert "Zyxlater" in client.get(f"/works/{work.pk}/chapters/3").content.decode()
    work.refresh_from_db()
    chapter.refresh_from_db()
    assert (chapter.posted, chapter.scheduled_for, chapter.published) == (True, None, AT.date())
    assert work.updated == AT.date()
    assert work.word_count == words + 4


def test_unscheduled_drafts_stay_drafts(draft: Work) -> None:
    do_schedule_work(draft, AT, now=NOW)
    do_unschedule(Work.objects.get(pk=draft.pk))
    assert do_post_due(AT + dt.timedelta(days=1)) == 0
    assert not Work.objects.get(pk=draft.pk).posted


def test_a_work_posts_its_unscheduled_chapter_drafts_with_it(draft: Work) -> None:
    later = do_add_chapter(draft, ChapterText(body="<p>Later.</p>"), posted=False)
    with_work = do_add_chapter(draft, ChapterText(body="<p>With the work.</p>"), posted=False)
    do_schedule(later, AT + dt.timedelta(days=1), now=NOW)
    do_schedule_work(Work.objects.get(pk=draft.pk), AT, now=NOW)
    assert do_post_due(AT) == 1
    assert Chapter.objects.get(pk=with_work.pk).posted
    assert not Chapter.objects.get(pk=later.pk).posted
    assert do_post_due(AT + dt.timedelta(days=1)) == 1
    assert Chapter.objects.get(pk=later.pk).posted


def test_times_are_read_in_the_site_time_zone(draft: Work, settings: Any) -> None:
    settings.TIME_ZONE = "Pacific/Auckland"
    # 20:00 UTC on 1 December is 09:00 on 2 December in Auckland: the work is published on the 2nd.
    evening = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC)
    do_schedule_work(draft, evening, now=NOW)
    do_post_due(evening)
    assert Work.objects.get(pk=draft.pk).published == dt.date(2026, 12, 2)


def test_the_scheduler_runs_every_minute() -> None:
    for minute in range(3):
        due = {
            task.name for task in HUEY.read_periodic(NOW.replace(tzinfo=None) + dt.timedelta(minutes=minute))
        }
        assert post_scheduled_task.name in due


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_running_at_once_post_each_draft_once(make_work: Callable[..., Work]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two connections at once need a database server (the PostgreSQL run has one)")
    works = [make_work(f"Race {n}", chapters=1) for n in range(4)]
    for work in works:
        for n in range(3):
            chapter = do_add_chapter(
                work, ChapterText(body=f"<p>Chapter {n} of four words.</p>"), posted=False
            )
            do_schedule(chapter, AT, now=NOW)
    SearchOutbox.objects.all().delete()
    start = threading.Barrier(2)
    counts: list[int] = []

    def scheduler() -> None:
        try:
            start.wait()
            counts.append(do_post_due(AT))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counts) == 2 and sum(counts) == 12
    assert SearchOutbox.objects.count() == 12
    for work in works:
        work.refresh_from_db()
        assert work.word_count == sum(work.chapters.values_list("word_count", flat=True))
        assert work.chapters.filter(posted=True).count() == 4
