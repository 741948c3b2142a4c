"""The New Work form in Chromium under the site's CSP: each tag field's autocomplete asks for its own
kind, and a work typed in, previewed and posted is the reader's page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from tests.browser.test_csp import _visit, _watch

from fanarchive.archive.demo import load_demo
from fanarchive.archive.models import Tag, User, Work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_post_a_work_through_the_form(live_server: Any, page: Any, artifacts: Path) -> None:
    load_demo()
    fandom = Tag.objects.filter(kind="fandom", canonical=True).order_by("pk").first() or (
        Tag.objects.filter(kind="fandom").order_by("pk").first()
    )
    assert fandom is not None
    _log_in(page, live_server, User.objects.create_user("writer", password="x"))
    errors = _watch(page)
    _visit(page, live_server.url + "/works/new", errors)
    page.screenshot(path=str(artifacts / "work_form.png"), full_page=True)

    field = page.locator("#id_fandoms")
    with page.expect_response(
        lambda r: "/autocomplete/tags" in r.url and "kind=fandom" in r.url and r.status == 200
    ):
        field.press_sequentially(fandom.name[:4], delay=20)
    options = page.locator(f"#{field.get_attribute('list')} option")
    options.first.wait_for(state="attached")
    assert fandom.name in [options.nth(i).get_attribute("value") for i in range(options.count())]

    # Its autocomplete answers before the form is sent: a request in flight would race the post for
    # the in-memory SQLite test database ("table is locked").
    with page.expect_response(lambda r: "/autocomplete/tags" in r.url):
        field.fill(f"{fandom.name}, A Fandom Nobody Has Used")
    page.select_option("#id_rating", "General Audiences")
    page.check("input[name=warnings][value='No Archive Warnings Apply']")
    page.fill("#id_title", "Browser Tide")
    page.fill("#id_chapter_text", "First paragraph of the tide.\n\nSecond paragraph.")
    page.click("button[value=preview]")
    page.wait_for_url("**/preview")
    assert "Draft." in page.content() and "Second paragraph." in page.content()
    page.screenshot(path=str(artifacts / "work_preview.png"), full_page=True)
    page.click("form[action$='/post'] button")
    work = Work.objects.get(title="Browser Tide")
    page.wait_for_url(f"**/works/{work.pk}")
    assert page.locator("h1.title").inner_text() == "Browser Tide"
    assert not Tag.objects.get(name="A Fandom Nobody Has Used").canonical
    assert page.evaluate("window.__violations") == [] and errors == []
