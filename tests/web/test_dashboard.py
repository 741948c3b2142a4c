from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.creators import do_invite_cocreator
from fanarchive.archive.models import Creatorship, SerialWork, Series, User, Work

pytestmark = pytest.mark.django_db


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


def test_the_dashboard_sorts_works_drafts_and_scheduled(
    client: Client, make_work: Callable[..., Work]
) -> None:
    posted = make_work("Posted Tide", owner="wren")
    draft = make_work("Draft Tide", owner="wren")
    scheduled = make_work("Scheduled Tide", owner="wren")
    make_work("Someone Else's", owner="alice")
    Work.objects.filter(pk=draft.pk).update(posted=False)
    when = dt.datetime(2031, 5, 6, 7, 8, tzinfo=dt.UTC)
    Work.objects.filter(pk=scheduled.pk).update(posted=False, scheduled_for=when)
    series = Series.objects.create(title="Tidal Series")
    SerialWork.objects.create(series=series, work=draft)
    client.force_login(User.objects.get(username="wren"))
    page = client.get("/dashboard").content.decode()
    works, drafts = _section(page, "works-heading"), _section(page, "drafts-heading")
    planned = _section(page, "scheduled-heading")
    assert "Posted Tide" in works and "Draft Tide" not in works and "Scheduled Tide" not in works
    assert "Draft Tide" in drafts and "Scheduled Tide" not in drafts
    assert "Scheduled Tide" in planned and "2031-05-06T07:08:00+00:00" in planned
    assert "Tidal Series" in _section(page, "series-heading")
    assert "Someone Else" not in page
    assert 'href="/works/new"' in page and 'href="/users/wren/pseuds"' in page
    assert f'href="/works/{posted.pk}/edit"' in works


def test_the_dashboard_needs_a_log_in(client: Client, db: None) -> None:
    response = client.get("/dashboard")
    assert response.status_code == 302 and "next=/dashboard" in response["Location"]


def _invited(make_work: Callable[..., Work]) -> tuple[Work, User, Creatorship]:
    work = make_work("Shared Tide", owner="alice", chapters=1)
    bea = User.objects.create_user("bea", password="x")
    invitation = do_invite_cocreator(
        work, do_ensure_default_pseud(bea), invited_by=User.objects.get(username="alice")
    )
    return work, bea, invitation


def test_an_invitee_accepts_from_the_dashboard(client: Client, make_work: Callable[..., Work]) -> None:
    work, bea, invitation = _invited(make_work)
    client.force_login(bea)
    waiting = _section(client.get("/dashboard").content.decode(), "invitations-heading")
    assert "Shared Tide" in waiting and "by alice" in waiting and "invited as bea" in waiting
    assert f'action="/dashboard/invitations/{invitation.pk}/accept"' in waiting
    assert "Shared Tide" not in _section(client.get("/dashboard").content.decode(), "works-heading")
    assert client.get(f"/dashboard/invitations/{invitation.pk}/accept").status_code == 405
    response = client.post(f"/dashboard/invitations/{invitation.pk}/accept")
    assert response.status_code == 302 and response["Location"] == "/dashboard"
    page = client.get("/dashboard").content.decode()
    assert "Shared Tide" in _section(page, "works-heading")
    assert "Shared Tide" not in _section(page, "invitations-heading")
    assert "bea" in client.get(f"/works/{work.pk}").content.decode()
    # Answered once: the id is gone from what waits for an answer.
    assert client.post(f"/dashboard/invitations/{invitation.pk}/decline").status_code == 404


def test_an_invitee_declines_and_nobody_else_answers(client: Client, make_work: Callable[..., Work]) -> None:
    _work, bea, invitation = _invited(make_work)
    client.force_login(User.objects.get(username="alice"))
    for answer in ("accept", "decline"):
        assert client.post(f"/dashboard/invitations/{invitation.pk}/{answer}").status_code == 404
    invitation.refresh_from_db()
    assert not invitation.accepted
    client.force_login(bea)
    assert client.post(f"/dashboard/invitations/{invitation.pk}/decline").status_code == 302
    assert not Creatorship.objects.filter(pk=invitation.pk).exists()
    assert client.post("/dashboard/invitations/999999999999/accept").status_code == 404


def test_answers_need_the_csrf_token(make_work: Callable[..., Work]) -> None:
    _work, bea, invitation = _invited(make_work)
    client = Client(enforce_csrf_checks=True)
    client.force_login(bea)
    assert client.post(f"/dashboard/invitations/{invitation.pk}/accept").status_code == 403
    invitation.refresh_from_db()
    assert not invitation.accepted
