"""The listing's filters in Chromium: the real facet checkboxes send repeated `include` and
`exclude` values and every one of them filters; an excluded tag stays checked in the sidebar and
unchecking it undoes it; on a phone "Filters" jumps to the form; kudos are left without leaving
the page (kudos.js under the site's CSP)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from fanarchive.archive.models import Kudos, Tag, Work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _tags(*freeforms: str) -> dict[str, list[str]]:
    return {"rating": ["General Audiences"], "fandom": ["Saltmarsh Chronicles"], "freeform": list(freeforms)}


@pytest.fixture
def shelf(make_work: Callable[..., Work]) -> dict[str, Work]:
    return {
        "Alpha": make_work("Alpha", chapters=1, tags=_tags("Fluff")),
        "Bravo": make_work("Bravo", chapters=1, tags=_tags("Angst")),
        "Charlie": make_work("Charlie", chapters=1, tags=_tags("Fluff", "Angst")),
        "Delta": make_work("Delta", chapters=1, tags=_tags("Hurt/Comfort")),
    }


def _titles(page: Any) -> list[str]:
    return sorted(t.strip() for t in page.locator("li.blurb h3.heading > a:first-child").all_inner_texts())


def _sent(page: Any, name: str) -> list[str]:
    return parse_qs(urlsplit(page.url).query).get(name, [])


def test_the_facet_checkboxes_filter_on_every_value(
    live_server: Any, page: Any, shelf: dict[str, Work]
) -> None:
    fluff, angst = Tag.objects.get(name="Fluff").pk, Tag.objects.get(name="Angst").pk
    page.goto(live_server.url + "/works")
    assert _titles(page) == ["Alpha", "Bravo", "Charlie", "Delta"]
    page.locator(f"#include_{fluff}").check()
    page.locator(f"#include_{angst}").check()
    page.get_by_role("button", name="Sort and Filter").click()
    page.wait_for_load_state()
    assert sorted(_sent(page, "include")) == sorted([str(fluff), str(angst)])
    assert _titles(page) == ["Charlie"]

    page.goto(live_server.url + "/works")
    page.locator(f"#exclude_{fluff}").check()
    page.locator(f"#exclude_{angst}").check()
    page.get_by_role("button", name="Sort and Filter").click()
    page.wait_for_load_state()
    assert _titles(page) == ["Delta"]
    # Both exclusions stay in the sidebar, checked, where one can be undone alone.
    box = page.locator(f"#exclude_{angst}")
    assert box.is_checked() and page.locator(f"#exclude_{fluff}").is_checked()
    assert page.get_by_label("Exclude Angst").is_checked()
    box.uncheck()
    page.get_by_role("button", name="Sort and Filter").click()
    page.wait_for_load_state()
    assert _sent(page, "exclude") == [str(fluff)]
    assert _titles(page) == ["Bravo", "Delta"]


def _form_top(page: Any) -> float:
    return float(page.evaluate("() => document.querySelector('#filters').getBoundingClientRect().top"))


def test_on_a_phone_filters_at_the_top_jumps_to_the_form(
    live_server: Any, page: Any, shelf: dict[str, Work]
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/works")
    form = page.locator("form#filters")
    top = page.get_by_role("link", name="Filters", exact=True)
    # Below every result, out of sight.
    assert top.is_visible() and _form_top(page) > PHONE["height"]
    top.click()
    assert page.url.endswith("#filters")
    form.get_by_role("heading", name="Sort and filter").wait_for()
    assert -1 < _form_top(page) < 50
    # On a wide screen the sidebar sits beside the results: no link needed.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not top.is_visible()


def test_kudos_without_leaving_the_page(live_server: Any, page: Any, shelf: dict[str, Work]) -> None:
    work = shelf["Alpha"]
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security" in message.text else None,
    )
    page.goto(live_server.url + f"/works/{work.pk}")
    url = page.url
    before = page.locator("[data-kudos-count]").inner_text()
    page.evaluate("() => { window.notReloaded = true; }")
    page.get_by_role("button", name="Kudos ♥").click()
    page.get_by_text("Thank you for leaving kudos!").wait_for()
    assert page.url == url and page.evaluate("() => window.notReloaded") is True
    assert page.locator(".kudos-from").inner_text() == "1 guest left kudos on this work!"
    assert (
        int(page.locator("[data-kudos-count]").inner_text().replace(",", ""))
        == int(before.replace(",", "")) + 1
    )
    page.get_by_role("button", name="Kudos ♥").click()
    page.get_by_text("You have already left kudos here. :)").wait_for()
    assert Kudos.objects.filter(work=work).count() == 1
    assert refused == []
