"""Under the Content-Security-Policy every page type, the admin's included, loads in Chromium without a
single violation or console error, and the site's own script (tag autocomplete) still works."""

from __future__ import annotations

from typing import Any

import pytest

from fanarchive.archive.actions.accounts import do_create_staff_account
from fanarchive.archive.demo import load_demo
from fanarchive.archive.models import Tag, User, Work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any of the page's own code: every violation the browser reports is kept.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def _watch(page: Any) -> list[str]:
    errors: list[str] = []
    page.add_init_script(LISTEN)
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _visit(page: Any, url: str, errors: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations")
    # A 404 page's own "failed to load resource" console line is the status, not a fault.
    faults = [e for e in errors if "status of 404" not in e]
    assert (violations, faults) == ([], []), url
    errors.clear()


def test_every_page_type_loads_without_a_csp_violation(live_server: Any, page: Any) -> None:
    load_demo()
    work = Work.objects.order_by("pk").first()
    assert work is not None
    author = User.objects.order_by("pk").first()  # the demo's first author
    assert author is not None
    errors = _watch(page)
    fandom = Tag.objects.filter(kind="fandom").order_by("pk").first()
    assert fandom is not None
    urls = [
        "/",
        "/works",
        "/works?q=tide",
        f"/works/{work.pk}",
        f"/works/{work.pk}?view_full_work=true",
        f"/tags/{fandom.name}/works",
        f"/tags/{fandom.name}",
        "/fandoms",
        f"/users/{author.username}",
        f"/users/{author.username}/works",
        "/no/such/page",
    ]
    for url in urls:
        _visit(page, live_server.url + url, errors)


def test_autocomplete_still_works_under_the_policy(live_server: Any, page: Any) -> None:
    load_demo()
    fandom = Tag.objects.filter(kind="fandom").order_by("pk").first()
    assert fandom is not None
    errors = _watch(page)
    _visit(page, live_server.url + "/works", errors)
    field = page.locator("#id_with")
    with page.expect_response(lambda r: "/autocomplete/tags" in r.url and r.status == 200):
        field.press_sequentially(fandom.name[:4], delay=20)
    options = page.locator("datalist#tag-suggestions-0 option")
    options.first.wait_for(state="attached")
    assert fandom.name in [options.nth(i).get_attribute("value") for i in range(options.count())]
    assert page.evaluate("window.__violations") == [] and errors == []


def test_the_admin_works_under_the_policy(live_server: Any, page: Any) -> None:
    load_demo()
    # As `fanarchive createsuperuser` makes the first staff account: its address confirmed.
    do_create_staff_account("keeper", "keeper@example.org", "lantern-room-7")
    tag = Tag.objects.order_by("pk").first()
    assert tag is not None
    errors = _watch(page)
    # The admin's log-in is the site's.
    _visit(page, live_server.url + "/admin/login/?next=/admin/", errors)
    page.fill("#id_login", "keeper")
    page.fill("#id_password", "lantern-room-7")
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    for url in [
        "/admin/",
        "/admin/archive/tag/",
        f"/admin/archive/tag/{tag.pk}/change/",
        "/admin/archive/tag/add/",
        "/admin/archive/work/",
        "/admin/archive/user/",
    ]:
        _visit(page, live_server.url + url, errors)
    # The admin's own scripts run: the change list's select-all box ticks every row.
    _visit(page, live_server.url + "/admin/archive/tag/", errors)
    page.check("#action-toggle")
    assert (
        page.locator("input.action-select:checked").count() == page.locator("input.action-select").count() > 0
    )


PLAYER = "https://www.youtube.com/embed/csp-test"
PODFIC = "https://files.example/podfic/ep1.mp3"


def test_admitted_players_and_media_load_and_a_foreign_frame_is_refused(live_server: Any, page: Any) -> None:
    from fanarchive.archive.actions.imports import do_import_work
    from fanarchive.domain.work import ParsedChapter, ParsedWork, empty_tags

    tags = empty_tags()
    tags.update(fandom=["Saltmarsh Chronicles"])
    html = f'<p>Podfic: <audio src="{PODFIC}"></audio></p><iframe src="{PLAYER}"></iframe>'
    work = ParsedWork(title="Podfic Night", authors=["quietharbour"], tags=tags, status="complete",
                      chapters=[ParsedChapter(number=1, title="One", html=html)], chapters_expected=1)  # fmt: skip
    work_id = do_import_work(work).work_id
    served: list[str] = []

    def remote(route: Any) -> None:  # nothing leaves the machine: the hosts answer from here
        served.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!DOCTYPE html><title>player</title>")

    page.route("https://www.youtube.com/**", remote)
    page.route("https://files.example/**", remote)
    page.route("https://evil.example/**", remote)
    errors = _watch(page)
    _visit(page, f"{live_server.url}/works/{work_id}", errors)
    assert served == [PLAYER]  # the player is framed; the audio waits for a press of play
    assert page.frame(url=PLAYER) is not None
    assert (
        page.locator("iframe").get_attribute("sandbox")
        == "allow-scripts allow-same-origin allow-presentation"
    )
    # Markup that slipped past the sanitiser could not frame another host: the policy refuses it.
    page.evaluate("""() => { const f = document.createElement("iframe");
        f.src = "https://evil.example/x"; document.body.appendChild(f); }""")
    page.wait_for_timeout(300)
    assert any(v.startswith("frame-src https://evil.example") for v in page.evaluate("window.__violations"))
    assert "https://evil.example/x" not in served
