"""Reading history, marked for later and works one left kudos on: recorded as a member reads,
kept off by the preference, cleared on request, and shown to that member alone."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from fanarchive.archive.actions.history import do_record_visit
from fanarchive.archive.models import Preferences, ReadingHistory, User, Work

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_rate_limits() -> Iterator[None]:
    cache.clear()
    yield


def _login(name: str) -> tuple[Client, User]:
    user = User.objects.get_or_create(username=name)[0]
    client = Client()
    client.force_login(user)
    return client, user


def test_reading_records_the_last_chapter_and_the_visits(
    make_work: Callable[..., Work], django_assert_max_num_queries: Callable[..., object]
) -> None:
    work = make_work("Tidewater", owner="ada", chapters=3)
    client, bea = _login("bea")
    client.get(f"/works/{work.pk}/chapters/1")
    client.get(f"/works/{work.pk}/chapters/2")
    row = ReadingHistory.objects.get(user=bea, work=work)
    assert (row.last_chapter, row.visits, row.marked_for_later) == (2, 2, False)
    client.get(f"/works/{work.pk}?view_full_work=true")
    assert ReadingHistory.objects.get(user=bea, work=work).last_chapter == 3
    # A guest's reading is nobody's history.
    Client().get(f"/works/{work.pk}/chapters/1")
    assert ReadingHistory.objects.count() == 1
    # Cheap: the preference, then one update (the row exists), inside one transaction.
    with django_assert_max_num_queries(4):
        do_record_visit(bea, work, 1)
    page = client.get("/users/bea/history").content.decode()
    assert "Tidewater" in page and "chapter 1, 4 visits" in page


def test_history_off_records_nothing_and_clearing_forgets(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    other = make_work("Open Water", owner="ada")
    client, bea = _login("bea")
    client.get(f"/works/{work.pk}", follow=True)
    client.post(f"/works/{other.pk}/later", {"next": f"/works/{other.pk}"})
    assert client.post("/users/bea/history/clear").status_code == 302
    assert list(ReadingHistory.objects.values_list("work_id", "visits")) == [(other.pk, 0)]
    assert client.post("/users/bea/history/preference", {}).status_code == 302
    assert Preferences.objects.get(user=bea).history_enabled is False
    client.get(f"/works/{work.pk}", follow=True)
    assert not ReadingHistory.objects.filter(work=work).exists()
    assert "checked" not in client.get("/users/bea/history").content.decode().split('id="id_enabled"')[1][:20]
    client.post("/users/bea/history/preference", {"enabled": "on"})
    client.get(f"/works/{work.pk}", follow=True)
    assert ReadingHistory.objects.filter(work=work, user=bea).exists()


def test_mark_for_later_and_the_later_list(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    read = make_work("Open Water", owner="ada")
    client, _ = _login("bea")
    client.get(f"/works/{read.pk}", follow=True)
    page = client.get(f"/works/{work.pk}", follow=True).content.decode()
    assert f'action="/works/{work.pk}/later"' in page and "Mark for later" in page
    answer = client.post(f"/works/{work.pk}/later", {"next": f"/works/{work.pk}/chapters/1"})
    assert answer["Location"] == f"/works/{work.pk}/chapters/1?later=marked#later"
    assert "Mark as read" in client.get(f"/works/{work.pk}/chapters/1").content.decode()
    later = client.get("/users/bea/history?show=later").content.decode()
    assert "Tidewater" in later and "Open Water" not in later
    client.post(f"/works/{work.pk}/later", {"marked": "0"})
    assert "Tidewater" not in client.get("/users/bea/history?show=later").content.decode()
    # A guest is asked to log in.
    guest = Client().post(f"/works/{work.pk}/later")
    assert guest.status_code == 302 and "/accounts/login/" in guest["Location"]


def test_works_you_left_kudos_on(make_work: Callable[..., Work]) -> None:
    liked = make_work("Tidewater", owner="ada")
    make_work("Open Water", owner="ada")
    gone = make_work("Draft Water", owner="ada")
    client, _ = _login("bea")
    client.post(f"/works/{liked.pk}/kudos")
    client.post(f"/works/{gone.pk}/kudos")
    Work.objects.filter(pk=gone.pk).update(posted=False)
    page = client.get("/users/bea/kudos").content.decode()
    assert "Tidewater" in page and "Open Water" not in page and "Draft Water" not in page


def test_only_the_reader_sees_their_pages(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    client, bea = _login("bea")
    client.get(f"/works/{work.pk}", follow=True)
    other, _ = _login("cal")
    staff = Client()
    staff.force_login(User.objects.create_user("boss", password="x", is_staff=True))
    for url in ("/users/bea/history", "/users/bea/history?show=later", "/users/bea/kudos"):
        assert client.get(url).status_code == 200
        assert other.get(url).status_code == 404 == staff.get(url).status_code
        assert other.get(url.replace("bea", "nobody")).status_code == 404
        guest = Client().get(url)
        assert guest.status_code == 302 and "/accounts/login/" in guest["Location"]
    assert other.post("/users/bea/history/clear").status_code == 404
    assert other.post("/users/bea/history/preference", {}).status_code == 404
    assert ReadingHistory.objects.filter(user=bea).exists()
    assert Preferences.objects.filter(user=bea).count() == 0
    # The reader reaches them from their own profile; nobody else sees the links.
    assert 'href="/users/bea/history"' in client.get("/users/bea").content.decode()
    make_work("Open Water", owner="bea")
    assert 'href="/users/bea/history"' not in other.get("/users/bea").content.decode()
