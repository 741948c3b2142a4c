from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fanarchive.archive.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_and_a_work_page_render_in_chromium(live_server: Any, page: Any, artifacts: Path) -> None:
    outcomes = load_demo()
    assert len(outcomes) >= 5
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text() == "fanarchive"
    blurbs = page.locator("li.blurb")
    assert blurbs.count() == len(outcomes)
    page.screenshot(path=str(artifacts / "home-desktop.png"), full_page=True)

    title = blurbs.first.locator("h3 a").first.inner_text()
    blurbs.first.locator("h3 a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1.title").inner_text() == title
    assert page.locator("#chapters .userstuff p").count() > 0
    assert "/works/" in page.url
    page.screenshot(path=str(artifacts / "work-desktop.png"), full_page=True)
