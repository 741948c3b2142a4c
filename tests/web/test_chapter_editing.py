"""The chapter pages of a work's creators: add, edit, delete, reorder, post and schedule drafts, the
chapter count; and that nobody else reaches them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fanarchive.archive.actions.works import do_set_work_flags
from fanarchive.archive.models import Chapter, Creatorship, SearchOutbox, User, Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(make_work: Callable[..., Work]) -> Work:
    return make_work("Lantern Keeper", chapters=2, owner="quietharbour")


@pytest.fixture
def author(client: Client, work: Work) -> Client:
    """The client, logged in as the work's creator."""
    client.force_login(User.objects.get(username="quietharbour"))
    return client


def _chapter_form(**fields: str) -> dict[str, str]:
    return {"title": "", "summary": "", "notes": "", "end_notes": "", "text_format": "html", **fields}


def test_only_accepted_creators_reach_the_chapter_pages(client: Client, work: Work) -> None:
    pages = [
        f"/works/{work.pk}/chapters/new",
        f"/works/{work.pk}/chapters/manage",
        f"/works/{work.pk}/chapters/1/edit",
        f"/works/{work.pk}/chapters/1/delete",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(f"/works/{work.pk}/chapters/1/post").status_code == 302

    invited = User.objects.create_user("invited", password="x")
    Creatorship.objects.create(pseud=invited.pseuds.create(name="invited"), work=work, accepted=False)
    for viewer in (
        User.objects.create_user("reader", password="x"),
        invited,
        User.objects.create_superuser("boss"),
    ):
        client.force_login(viewer)
        assert [client.get(url).status_code for url in pages] == [404] * len(pages)
        assert client.post(f"/works/{work.pk}/chapters/1/delete").status_code == 404
    assert work.chapters.count() == 2


def test_missing_chapters_and_works_answer_404(author: Client, work: Work) -> None:
    for url in (
        f"/works/{work.pk}/chapters/9/edit",
        f"/works/{work.pk}/chapters/0/delete",
        f"/works/{work.pk}/chapters/99999999999/edit",
        "/works/999999/chapters/new",
    ):
        assert author.get(url).status_code == 404, url


def test_adding_a_posted_chapter(author: Client, work: Work) -> None:
    SearchOutbox.objects.all().delete()
    response = author.post(
        f"/works/{work.pk}/chapters/new",
        _chapter_form(
            title="Zyxstorm",
            text_format="markdown",
            body="The *storm* came.\n\n<img src=x onerror=alert(1)>",
            action="post",
        ),
    )
    assert response.status_code == 302 and response["Location"] == f"/works/{work.pk}/chapters/manage"
    chapter = work.chapters.get(position=3)
    assert chapter.posted and "<em>storm</em>" in chapter.body and "onerror" not in chapter.body
    page = author.get(f"/works/{work.pk}/chapters/3").content.decode()
    assert "Zyxstorm" in page and "<em>storm</em>" in page
    work.refresh_from_db()
    assert work.updated == timezone.localdate()
    assert work.word_count == sum(work.chapters.values_list("word_count", flat=True))
    assert list(SearchOutbox.objects.values_list("work_id", flat=True)) == [work.pk]


def test_a_chapter_draft_is_hidden_until_posted(author: Client, client: Client, work: Work) -> None:
    author.post(f"/works/{work.pk}/chapters/new", _chapter_form(title="Zyxdraftch", body="<p>Soon.</p>"))
    chapter = work.chapters.get(position=3)
    assert not chapter.posted
    assert author.get(f"/works/{work.pk}/chapters/3").status_code == 404
    manage = author.get(f"/works/{work.pk}/chapters/manage").content.decode()
    assert "Zyxdraftch" in manage and "Draft" in manage and f"/works/{work.pk}/chapters/3/post" in manage
    # Editing keeps it a draft.
    author.post(f"/works/{work.pk}/chapters/3/edit", _chapter_form(title="Zyxdraftch", body="<p>Later.</p>"))
    assert not Chapter.objects.get(pk=chapter.pk).posted

    assert author.post(f"/works/{work.pk}/chapters/3/post").status_code == 302
    assert Chapter.objects.get(pk=chapter.pk).posted
    assert "Later." in client.get(f"/works/{work.pk}/chapters/3").content.decode()


def test_scheduling_a_chapter_draft_in_the_site_time_zone(author: Client, work: Work, settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Berlin"
    when = timezone.localtime(timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    typed = when.strftime("%Y-%m-%dT%H:%M")
    author.post(
        f"/works/{work.pk}/chapters/new",
        _chapter_form(title="Zyxlater", body="<p>At noon.</p>", scheduled_for=typed, action="schedule"),
    )
    chapter = work.chapters.get(position=3)
    assert (chapter.posted, chapter.scheduled_for) == (False, when)
    manage = author.get(f"/works/{work.pk}/chapters/manage").content.decode()
    assert f'Scheduled for <time datetime="{when.isoformat()}">{when:%Y-%m-%d %H:%M} CE' in manage
    assert author.get(f"/works/{work.pk}/chapters/3").status_code == 404

    past = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = author.post(
        f"/works/{work.pk}/chapters/3/edit",
        _chapter_form(title="Zyxlater", body="<p>At noon.</p>", scheduled_for=past, action="schedule"),
    )
    assert response.status_code == 200 and "Choose a time in the future." in response.content.decode()
    assert Chapter.objects.get(pk=chapter.pk).scheduled_for == when

    author.post(
        f"/works/{work.pk}/chapters/3/edit",
        _chapter_form(title="Zyxlater", body="<p>At noon.</p>", scheduled_for=typed, action="unschedule"),
    )
    assert Chapter.objects.get(pk=chapter.pk).scheduled_for is None


def test_a_schedule_needs_a_time(author: Client, work: Work) -> None:
    response = author.post(
        f"/works/{work.pk}/chapters/new", _chapter_form(body="<p>When?</p>", action="schedule")
    )
    assert "Choose when to post it." in response.content.decode()
    assert work.chapters.count() == 2


def test_editing_a_posted_chapter(author: Client, work: Work) -> None:
    form = author.get(f"/works/{work.pk}/chapters/1/edit").content.decode()
    assert "Tide 1" in form and "Ada counted the gulls" in form
    author.post(
        f"/works/{work.pk}/chapters/1/edit", _chapter_form(title="Low Tide", body="<p>One two three.</p>")
    )
    chapter = work.chapters.get(position=1)
    assert (chapter.title, chapter.word_count, chapter.posted) == ("Low Tide", 3, True)
    work.refresh_from_db()
    assert work.word_count == sum(work.chapters.values_list("word_count", flat=True))


def test_deleting_asks_first_and_keeps_one_chapter(author: Client, work: Work) -> None:
    confirm = author.get(f"/works/{work.pk}/chapters/1/delete").content.decode()
    assert "Delete Chapter 1: Tide 1" in confirm and "csrfmiddlewaretoken" in confirm
    assert work.chapters.count() == 2
    assert author.post(f"/works/{work.pk}/chapters/1/delete").status_code == 302
    assert list(work.chapters.values_list("position", "title")) == [(1, "Tide 2")]
    refused = author.post(f"/works/{work.pk}/chapters/1/delete")
    assert refused.status_code == 200 and "at least one chapter" in refused.content.decode()
    assert work.chapters.count() == 1


def test_reordering_on_the_manage_page(author: Client, work: Work) -> None:
    first, second = work.chapters.order_by("position")
    response = author.post(
        f"/works/{work.pk}/chapters/manage",
        {"form": "order", f"position_{first.pk}": "2", f"position_{second.pk}": "1"},
    )
    assert response.status_code == 302
    assert list(work.chapters.order_by("position").values_list("title", flat=True)) == ["Tide 2", "Tide 1"]
    bad = author.post(f"/works/{work.pk}/chapters/manage", {"form": "order", f"position_{first.pk}": "7"})
    assert bad.status_code == 200
    assert list(work.chapters.order_by("position").values_list("title", flat=True)) == ["Tide 2", "Tide 1"]


def test_expected_count_and_complete_on_the_manage_page(author: Client, client: Client, work: Work) -> None:
    author.post(f"/works/{work.pk}/chapters/manage", {"form": "count", "expected_chapters": ""})
    work.refresh_from_db()
    assert (work.expected_chapters, work.complete) == (None, False)
    assert "2/?" in client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    refused = author.post(f"/works/{work.pk}/chapters/manage", {"form": "count", "expected_chapters": "1"})
    assert "already has 2 posted chapters" in refused.content.decode()
    author.post(
        f"/works/{work.pk}/chapters/manage", {"form": "count", "expected_chapters": "", "complete": "on"}
    )
    work.refresh_from_db()
    assert (work.expected_chapters, work.complete) == (2, True)


def test_chapter_forms_need_csrf(work: Work) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.get(username="quietharbour"))
    for url in (
        f"/works/{work.pk}/chapters/new",
        f"/works/{work.pk}/chapters/1/delete",
        f"/works/{work.pk}/chapters/1/post",
        f"/works/{work.pk}/chapters/manage",
    ):
        assert strict.post(url, _chapter_form(body="<p>x</p>", action="post")).status_code == 403, url
    assert work.chapters.count() == 2


def test_the_work_page_links_creators_to_their_chapters(author: Client, client: Client, work: Work) -> None:
    page = author.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    assert f'href="/works/{work.pk}/chapters/new"' in page
    assert f'href="/works/{work.pk}/chapters/manage"' in page
    reader = Client()
    reader.force_login(User.objects.create_user("reader", password="x"))
    for viewer in (reader, Client()):
        assert "/chapters/new" not in viewer.get(f"/works/{work.pk}?view_full_work=true").content.decode()


def test_scheduling_a_work_draft_on_the_manage_page(author: Client, work: Work) -> None:
    do_set_work_flags(work, posted=False, restricted=False, hidden_by_admin=False)
    when = timezone.localtime(timezone.now() + dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    page = author.get(f"/works/{work.pk}/chapters/manage").content.decode()
    assert "Schedule the work" in page
    response = author.post(
        f"/works/{work.pk}/chapters/manage",
        {"form": "schedule", "scheduled_for": when.strftime("%Y-%m-%dT%H:%M"), "action": "schedule"},
    )
    assert response.status_code == 302
    assert Work.objects.get(pk=work.pk).scheduled_for == when
    assert "It is scheduled to be posted at" in author.get(response["Location"]).content.decode()
    author.post(
        f"/works/{work.pk}/chapters/manage", {"form": "schedule", "scheduled_for": "", "action": "schedule"}
    )
    assert Work.objects.get(pk=work.pk).scheduled_for is None
    past = (timezone.localtime() - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    refused = author.post(
        f"/works/{work.pk}/chapters/manage", {"form": "schedule", "scheduled_for": past, "action": "schedule"}
    )
    assert "Choose a time in the future." in refused.content.decode()
    # A posted work has nothing to schedule.
    do_set_work_flags(work, posted=True, restricted=False, hidden_by_admin=False)
    assert "Schedule the work" not in author.get(f"/works/{work.pk}/chapters/manage").content.decode()
