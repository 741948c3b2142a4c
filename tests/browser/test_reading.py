"""A reader's way through the archive in a real browser: filter, open, read, switch views."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fanarchive.archive.models import Tag, Work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def shelf(make_work: Callable[..., Work]) -> dict[str, Work]:
    def tags(relationship: str, *freeforms: str) -> dict[str, list[str]]:
        return {
            "rating": ["Teen And Up Audiences"],
            "warning": ["No Archive Warnings Apply"],
            "category": ["F/F"],
            "fandom": ["Saltmarsh Chronicles"],
            "relationship": [relationship],
            "character": ["Ada Renner", "Mira Quell"],
            "freeform": list(freeforms),
        }

    works = {
        "Tidewater": make_work(
            "Tidewater", chapters=4, tags=tags("Ada Renner/Mira Quell", "Slow Burn"), stats={"kudos": 40}
        ),
        "Undertow": make_work(
            "Undertow", chapters=3, tags=tags("Ada Renner/Mira Quell", "Angst"), stats={"kudos": 90}
        ),
        "Lantern": make_work(
            "Lantern", chapters=3, tags=tags("Ada Renner/Mira Quell", "Fluff"), stats={"kudos": 10}
        ),
        "Ferry": make_work(
            "Ferry", chapters=2, tags=tags("Ada Renner & Tobias Hale", "Fluff"), stats={"kudos": 70}
        ),
        "Unfinished": make_work(
            "Unfinished", chapters=2, tags=tags("Ada Renner/Mira Quell"), stats={"kudos": 99}
        ),
    }
    Work.objects.filter(pk=works["Unfinished"].pk).update(complete=False, expected_chapters=5)
    return works


def _titles(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("li.blurb h3.heading > a:first-child").all_inner_texts()]


def test_filter_then_read_chapter_three(
    live_server: Any, page: Any, shelf: dict[str, Work], artifacts: Path
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Saltmarsh Chronicles").first.click()
    assert page.locator("h1").inner_text() == "Works in Saltmarsh Chronicles"
    relationship = Tag.objects.get(name="Ada Renner/Mira Quell")
    angst = Tag.objects.get(name="Angst")
    page.locator(f"#include_{relationship.pk}").check()
    page.locator(f"#exclude_{angst.pk}").check()
    page.get_by_label("Completion status").select_option("1")
    page.get_by_label("Sort by").select_option("kudos")
    page.get_by_role("button", name="Sort and Filter").click()
    page.wait_for_load_state()
    assert _titles(page) == ["Tidewater", "Lantern"]
    page.screenshot(path=str(artifacts / "listing-desktop.png"), full_page=True)

    shared = page.url
    again = page.context.new_page()
    again.goto(shared)
    assert _titles(again) == ["Tidewater", "Lantern"]
    again.set_viewport_size(PHONE)
    again.screenshot(path=str(artifacts / "listing-phone.png"), full_page=True)
    again.close()

    page.get_by_role("link", name="Tidewater").click()
    assert page.url.endswith(f"/works/{shelf['Tidewater'].pk}/chapters/1")
    page.get_by_role("link", name="Next Chapter →").click()
    page.get_by_role("link", name="Next Chapter →").click()
    assert page.url.endswith("/chapters/3")
    assert "for the 3 time" in page.locator("#chapters").inner_text()
    page.go_back()
    assert page.url.endswith("/chapters/2")
    page.go_forward()
    page.get_by_role("link", name="Entire work").click()
    assert page.locator("#chapters section.chapter").count() == 4
    page.screenshot(path=str(artifacts / "work-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts / "work-phone.png"), full_page=True)


def test_search_finds_a_phrase_in_a_chapter_body(live_server: Any, page: Any, shelf: dict[str, Work]) -> None:
    from fanarchive.archive.indexing.service import get_backend

    # Unless a run asks for another engine, the browser tests search the embedded default.
    expected = os.environ.get("FANARCHIVE_TEST_SEARCH_BACKEND", "tantivy")
    assert type(get_backend()).__name__.lower().startswith(expected)
    page.goto(live_server.url + "/works")
    page.get_by_label("Search within results").fill('"for the 4 time"')
    page.get_by_role("button", name="Sort and Filter").click()
    assert _titles(page) == ["Tidewater"]
    page.get_by_role("link", name="Read in chapter 4").click()
    assert page.url.endswith(f"/works/{shelf['Tidewater'].pk}/chapters/4")


@pytest.mark.parametrize("path", ["/", "/works", "/tags/Saltmarsh Chronicles/works", "work", "/fandoms"])
def test_no_serious_accessibility_violations(
    live_server: Any, page: Any, shelf: dict[str, Work], path: str
) -> None:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core missing at {AXE}; scripts/test.sh installs it")
        pytest.skip("axe-core is not installed (scripts/test.sh installs it)")
    url = f"/works/{shelf['Tidewater'].pk}/chapters/2" if path == "work" else path
    page.goto(live_server.url + url)
    # Evaluated through DevTools: an injected <script> would be inline, which the site's CSP refuses.
    page.evaluate(AXE.read_text())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
