"""A creator's chapter pages in Chromium: add a chapter and schedule it with the browser's own date
and time box, post a draft from the manage page, reorder; no CSP violation or console error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.test_csp import _visit, _watch

from fanarchive.archive.models import User, Work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, live_server: Any, username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_a_creator_adds_schedules_posts_and_reorders_chapters(
    live_server: Any, page: Any, make_work: Callable[..., Work]
) -> None:
    work = make_work("Lantern Keeper", chapters=2, owner="quietharbour")
    _log_in(page, live_server, "quietharbour")
    errors = _watch(page)
    base = f"{live_server.url}/works/{work.pk}"

    _visit(page, f"{base}?view_full_work=true", errors)
    page.get_by_role("link", name="Add chapter").click()
    page.get_by_label("Chapter title").fill("Lamplight")
    page.get_by_label("Chapter text").fill("The lamp was lit.\n\nAda watched the sea.")
    when = timezone.localtime(timezone.now() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    page.get_by_label("Post at").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_url(f"{base}/chapters/manage")
    row = page.get_by_role("row", name="Lamplight")
    expect(row).to_contain_text("Scheduled for")
    scheduled = work.chapters.get(position=3)
    assert (scheduled.posted, scheduled.scheduled_for) == (False, when)
    assert scheduled.body == "<p>The lamp was lit.</p>\n<p>Ada watched the sea.</p>"

    row.get_by_role("button", name="Post now").click()
    expect(page.get_by_role("row", name="Lamplight")).to_contain_text("Posted")
    assert work.chapters.get(position=3).posted

    page.get_by_label("Position of Chapter 3: Lamplight").fill("1")
    page.get_by_label("Position of Chapter 1: Tide 1").fill("3")
    page.get_by_role("button", name="Save the order").click()
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text("new order")
    assert list(work.chapters.order_by("position").values_list("title", flat=True)) == [
        "Lamplight",
        "Tide 2",
        "Tide 1",
    ]
    _visit(page, f"{base}/chapters/1", errors)
    assert page.get_by_role("heading", name="Chapter 1: Lamplight").count() == 1
    for url in (
        f"{base}/chapters/manage",
        f"{base}/chapters/new",
        f"{base}/chapters/2/edit",
        f"{base}/chapters/2/delete",
    ):
        _visit(page, url, errors)
