"""Reports to staff (issue 14): a form for works and comments (guests too, with a honeypot and a
rate limit), and the admin's queue hiding what was reported through actions/."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.comments import do_post_comment
from fanarchive.archive.actions.reports import do_hide_reported, do_report
from fanarchive.archive.actions.works import do_set_work_flags
from fanarchive.archive.models import Comment, Report, SearchOutbox, User, Work

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_a_guest_reports_a_work(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Reported", owner="ada")
    assert f'href="/works/{work.pk}/report"' in client.get(f"/works/{work.pk}", follow=True).content.decode()
    assert client.get(f"/works/{work.pk}/report").status_code == 200
    response = client.post(f"/works/{work.pk}/report", {"reason": "It copies my story."})
    assert response.status_code == 302 and response["Location"] == f"/works/{work.pk}"
    report = Report.objects.get()
    assert (report.work_id, report.comment_id, report.reporter_id) == (work.pk, None, None)
    assert report.reason == "It copies my story." and len(report.guest_hash) == 64
    assert report.state == "open"


def test_the_honeypot_keeps_nothing_and_an_empty_reason_is_refused(
    client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Reported", owner="ada")
    bot = client.post(f"/works/{work.pk}/report", {"reason": "spam spam", "website": "http://x"})
    assert bot.status_code == 302
    empty = client.post(f"/works/{work.pk}/report", {"reason": "   "})
    assert empty.status_code == 400
    assert not Report.objects.exists()


def test_reports_are_rate_limited_with_retry_after(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Reported", owner="ada")
    answers = [client.post(f"/works/{work.pk}/report", {"reason": f"no {n}"}) for n in range(4)]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert Report.objects.count() == 3


def test_what_a_reader_cannot_see_cannot_be_reported(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Hidden", owner="ada")
    do_set_work_flags(work, posted=True, restricted=False, hidden_by_admin=True)
    assert client.get(f"/works/{work.pk}/report").status_code == 404
    assert client.post(f"/works/{work.pk}/report", {"reason": "x"}).status_code == 404
    assert client.post("/works/999999/report", {"reason": "x"}).status_code == 404
    assert not Report.objects.exists()


def test_a_member_reports_a_comment(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Commented", owner="ada")
    comment = do_post_comment(work, "<p>rude words</p>", guest_name="troll", guest_email="t@example.org")
    bea = User.objects.create_user("bea", password="x")
    client.force_login(bea)
    response = client.post(f"/comments/{comment.pk}/report", {"reason": "Harassment."})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.comment_id, report.work_id, report.reporter_id, report.guest_hash) == (
        comment.pk,
        work.pk,
        bea.pk,
        "",
    )


def test_staff_hide_and_unhide_through_the_admin_queue(
    admin_client: Client, client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Reported", owner="ada")
    comment = do_post_comment(work, "<p>rude</p>", guest_name="troll", guest_email="t@example.org")
    of_work = do_report(reason="stolen", reporter=None, work=work)
    of_comment = do_report(reason="rude", reporter=None, comment=comment)
    assert admin_client.get("/admin/archive/report/").status_code == 200
    assert admin_client.get(f"/admin/archive/report/{of_work.pk}/change/").status_code == 200
    SearchOutbox.objects.all().delete()
    ids = [str(of_work.pk), str(of_comment.pk)]
    answer = admin_client.post("/admin/archive/report/", {"action": "hide", "_selected_action": ids})
    assert answer.status_code == 302
    work.refresh_from_db()
    assert work.hidden_by_admin
    assert Comment.objects.get(pk=comment.pk).hidden_by_admin
    assert SearchOutbox.objects.filter(work_id=work.pk).exists()
    assert set(Report.objects.values_list("state", flat=True)) == {"hidden"}
    assert client.get(f"/works/{work.pk}").status_code == 404
    admin_client.post("/admin/archive/report/", {"action": "unhide", "_selected_action": [str(of_work.pk)]})
    work.refresh_from_db()
    assert not work.hidden_by_admin
    admin_client.post(
        "/admin/archive/report/", {"action": "dismiss", "_selected_action": [str(of_comment.pk)]}
    )
    assert Report.objects.get(pk=of_comment.pk).state == "dismissed"


def test_only_staff_handle_reports(make_work: Callable[..., Work]) -> None:
    work = make_work("Reported", owner="ada")
    report = do_report(reason="x", reporter=None, work=work)
    with pytest.raises(ActionError):
        do_hide_reported(report, User.objects.get(username="ada"))
    with pytest.raises(ActionError):
        do_report(reason="x", reporter=None)
