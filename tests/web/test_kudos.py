"""Kudos over HTTP: one per account and one per guest, the "kudos from" line, the JSON answer
kudos.js reads, creators and blocked users refused, and the rate limits (429 with Retry-After)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.blocks import do_block
from fanarchive.archive.actions.kudos import do_leave_kudos
from fanarchive.archive.models import Kudos, Mute, SearchOutbox, StatCounter, User, Work

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _empty_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _member(name: str) -> Client:
    client = Client()
    client.force_login(User.objects.get_or_create(username=name)[0])
    return client


def _kudos(work: Work) -> int:
    return StatCounter.objects.get(work=work).kudos


def test_members_and_guests_once_each_and_named_on_the_work(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    before = _kudos(work)  # the imported work's count from its source
    SearchOutbox.objects.all().delete()
    for name in ("bea", "cal"):
        reader = _member(name)
        assert reader.post(f"/works/{work.pk}/kudos")["Location"] == f"/works/{work.pk}?kudos=left#kudos"
        assert reader.post(f"/works/{work.pk}/kudos")["Location"] == f"/works/{work.pk}?kudos=again#kudos"
    guest = Client(REMOTE_ADDR="203.0.113.9")
    guest.post(f"/works/{work.pk}/kudos")
    guest.post(f"/works/{work.pk}/kudos")
    Client(REMOTE_ADDR="203.0.113.10").post(f"/works/{work.pk}/kudos")
    assert _kudos(work) - before == 4 == Kudos.objects.filter(work=work).count()
    assert SearchOutbox.objects.filter(work_id=work.pk).count() >= 1
    page = Client().get(f"/works/{work.pk}", follow=True).content.decode()
    assert 'id="kudos"' in page
    assert "bea, cal</span>" in page and " and 2 guests</span> left kudos on this work!" in page
    assert "archive/kudos.js" in page


def test_the_json_answer_for_kudos_js(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    before = _kudos(work)
    Client(REMOTE_ADDR="203.0.113.9").post(f"/works/{work.pk}/kudos")
    answer = _member("bea").post(f"/works/{work.pk}/kudos", **JSON)
    assert answer.status_code == 200
    expected = {"status": "left", "names": ["bea"], "guests": 1, "total": before + 2}
    assert json.loads(answer.content) == expected
    again = json.loads(_member("bea").post(f"/works/{work.pk}/kudos", **JSON).content)
    assert again["status"] == "again" and again["total"] == before + 2


def test_a_creator_cannot_kudos_their_own_work(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    before = _kudos(work)
    ada = _member("ada")
    assert ada.post(f"/works/{work.pk}/kudos")["Location"] == f"/works/{work.pk}?kudos=refused#kudos"
    refused = ada.post(f"/works/{work.pk}/kudos", **JSON)
    assert refused.status_code == 403 and "own work" in json.loads(refused.content)["message"]
    assert _kudos(work) == before and not Kudos.objects.exists()
    assert (
        "You cannot leave kudos on this work."
        in ada.get(f"/works/{work.pk}/chapters/1?kudos=refused").content.decode()
    )


def test_a_user_blocked_by_a_creator_cannot_leave_kudos(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    troll = User.objects.create_user("troll", password="x")
    do_block(User.objects.get(username="ada"), troll)
    with pytest.raises(ActionError):
        do_leave_kudos(work, troll, "")
    client = Client()
    client.force_login(troll)
    assert json.loads(client.post(f"/works/{work.pk}/kudos", **JSON).content)["status"] == "refused"
    assert not Kudos.objects.filter(work=work).exists()
    # Another work, by someone who did not block them, still takes their kudos.
    other = make_work("Open Water", owner="bea")
    assert client.post(f"/works/{other.pk}/kudos")["Location"].endswith("kudos=left#kudos")


def test_muted_and_inactive_users_are_left_out_of_the_list(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    for name in ("bea", "cal", "dee"):
        do_leave_kudos(work, User.objects.create_user(name, password="x"), "")
    User.objects.filter(username="dee").update(is_active=False)
    viewer = User.objects.create_user("viewer", password="x")
    Mute.objects.create(user=viewer, muted=User.objects.get(username="cal"))
    client = Client()
    client.force_login(viewer)
    page = client.get(f"/works/{work.pk}", follow=True).content.decode()
    assert "bea</span>" in page and "cal" not in page.split('id="kudos"')[1] and "dee" not in page
    assert "bea, cal</span>" in Client().get(f"/works/{work.pk}", follow=True).content.decode()


def test_kudos_are_rate_limited_per_user_and_per_guest(make_work: Callable[..., Work]) -> None:
    works = [make_work(f"Tide {i}", owner="ada") for i in range(21)]
    bea = _member("bea")
    answers = [bea.post(f"/works/{w.pk}/kudos").status_code for w in works]
    assert answers[:20] == [302] * 20 and answers[20] == 429
    limited = bea.post(f"/works/{works[0].pk}/kudos", **JSON)
    assert limited.status_code == 429 and limited["Retry-After"] == "3600"
    # Another member is not held back by bea's count.
    assert _member("cal").post(f"/works/{works[0].pk}/kudos").status_code == 302
    guest = Client(REMOTE_ADDR="198.51.100.7")
    guests = [guest.post(f"/works/{w.pk}/kudos").status_code for w in works[:11]]
    assert guests[:10] == [302] * 10 and guests[10] == 429
    assert int(guest.post(f"/works/{works[0].pk}/kudos")["Retry-After"]) > 0
    assert Kudos.objects.filter(user__username="bea").count() == 20


def test_kudos_on_a_hidden_work_answer_as_on_a_missing_one(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    Work.objects.filter(pk=work.pk).update(posted=False)
    assert Client().post(f"/works/{work.pk}/kudos").status_code == 404
    assert Client().post("/works/999999/kudos").status_code == 404
    assert Kudos.objects.count() == 0
