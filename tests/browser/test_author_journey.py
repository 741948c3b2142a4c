"""Issue 13's author journey in Chromium under the CSP, end to end: sign up and confirm by the link
read from a real SMTP server, post a three-chapter work with tags of every kind through the form
(preview, draft, post), add a chapter and schedule another, invite a co-creator who accepts in a
second browser, edit, orphan, and delete another work. Search finds the work once the indexer has
drained the outbox, on whichever engine the run uses (tantivy, or PostgreSQL's with DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.test_csp import _visit, _watch

from fanarchive.archive.actions.scheduling import do_post_due
from fanarchive.archive.indexing.indexer import drain_all
from fanarchive.archive.indexing.service import get_backend
from fanarchive.archive.models import Tag, Work
from support.smtp_server import Inbox, smtp_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["smtp_server"]

PASSWORD = "harbour-lantern-7731"
NEW_TAG = "Lighthouse Keeping As A Love Language"


def _clean(page: Any, errors: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    faults = [e for e in errors if "status of 404" not in e]
    assert (page.evaluate("window.__violations"), faults) == ([], []), page.url


def _click(page: Any, errors: list[str], locator: Any) -> None:
    locator.click()
    _clean(page, errors)


def _sign_up_and_log_in(page: Any, base: str, inbox: Inbox, name: str, errors: list[str]) -> None:
    address = f"{name}@example.org"
    _visit(page, base + "/signup", errors)
    page.fill("#id_username", name)
    page.fill("#id_email", address)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    _click(page, errors, page.locator("main form button[type=submit]").first)
    assert page.url.endswith("/accounts/confirm-email/")
    link = inbox.link_in(inbox.last_to(address), r"https?://\S+/accounts/confirm-email/\S+/")
    _visit(page, base + re.sub(r"^https?://[^/]+", "", link), errors)
    _click(page, errors, page.locator("main form button[type=submit]").first)
    _visit(page, base + "/login", errors)
    page.fill("#id_login", name)
    page.fill("#id_password", PASSWORD)
    _click(page, errors, page.locator("main form button[type=submit]").first)
    assert "Log out" in page.locator(".account-menu").inner_text()


def _fill_tags(page: Any, field: str, names: str) -> None:
    """Type into a tag field and wait for its autocomplete's answer: a request still in flight when
    the form is sent would race the post for the test's in-memory SQLite database."""
    with page.expect_response(lambda r: "/autocomplete/tags" in r.url):
        page.fill(field, names)


def _fill_new_work(page: Any, title: str, text: str) -> None:
    page.select_option("#id_rating", "Teen And Up Audiences")
    page.check("input[name=warnings][value='No Archive Warnings Apply']")
    _fill_tags(page, "#id_fandoms", "Saltmarsh Chronicles")
    page.check("input[name=categories][value='F/M']")
    _fill_tags(page, "#id_relationships", "Ada Renner/Tomas Vey")
    _fill_tags(page, "#id_characters", "Ada Renner, Tomas Vey")
    _fill_tags(page, "#id_freeforms", f"Found Family, {NEW_TAG}")
    page.fill("#id_title", title)
    page.fill("#id_summary", "A keeper, a storm, a lamp.")
    page.fill("#id_chapter_title", "Landfall")
    page.fill("#id_chapter_text", text)


class Guest:
    """A visitor who never logs in, in a browser context of their own; their pages must not break
    the CSP either."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.errors = _watch(self.page)

    def sees(self, url: str) -> tuple[int, str]:
        response = self.page.goto(url)
        _clean(self.page, self.errors)
        self.errors.clear()
        return response.status, str(self.page.content())


def _search(page: Any, base: str, errors: list[str], word: str) -> str:
    _visit(page, f"{base}/works?q={word}", errors)
    return str(page.locator("main").inner_text())


def test_the_author_journey(
    live_server: Any,
    browser: Any,
    page: Any,
    smtp_server: Inbox,
    make_work: Any,
    artifacts: Path,
    settings: Any,
) -> None:
    cache.clear()  # rate-limit counters of earlier tests
    # As a served archive does it: posts write outbox rows, the indexer drains them.
    settings.SEARCH_INDEX_IMMEDIATELY = False
    # Tags others already used (the new tag below is nobody's yet).
    make_work(
        "Older Tide",
        chapters=1,
        tags={
            "rating": ["General Audiences"],
            "warning": ["No Archive Warnings Apply"],
            "category": ["F/M"],
            "fandom": ["Saltmarsh Chronicles"],
            "relationship": ["Ada Renner/Tomas Vey"],
            "character": ["Ada Renner", "Tomas Vey"],
            "freeform": ["Found Family"],
        },
    )
    drain_all(get_backend())
    assert not Tag.objects.filter(name=NEW_TAG).exists()
    base = live_server.url
    errors = _watch(page)
    _sign_up_and_log_in(page, base, smtp_server, "ada", errors)

    # A three-chapter work through the form: preview, save as draft, post.
    _visit(page, base + "/works/new", errors)
    _fill_new_work(page, "Keeper of the Quillwort Light", "The lamp was cold.\n\nAda lit it.")
    page.check("#id_multichapter")
    page.fill("#id_expected_chapters", "3")
    _click(page, errors, page.locator("button[value=preview]"))
    work = Work.objects.get(title="Keeper of the Quillwort Light")
    assert page.url.endswith(f"/works/{work.pk}/preview")
    expect(page.locator(".notice")).to_contain_text("Draft.")
    expect(page.locator("article")).to_contain_text(NEW_TAG)
    expect(page.locator("article")).to_contain_text("Ada lit it.")
    page.screenshot(path=str(artifacts / "journey_preview.png"), full_page=True)

    _visit(page, f"{base}/works/{work.pk}/edit", errors)
    page.fill("#id_notes", "Written on a stormy night.")
    _click(page, errors, page.locator("button[value=draft]"))
    work.refresh_from_db()
    assert not work.posted and work.notes
    _visit(page, base + "/dashboard", errors)
    expect(page.locator(".dashboard-drafts")).to_contain_text("Keeper of the Quillwort Light")

    guest_context = browser.new_context()
    guest = Guest(guest_context)
    assert guest.sees(f"{base}/works/{work.pk}")[0] == 404

    _visit(page, f"{base}/works/{work.pk}/preview", errors)
    _click(page, errors, page.locator(f"form[action$='/works/{work.pk}/post'] button"))
    work.refresh_from_db()
    assert work.posted
    kinds = set(Tag.objects.filter(taggings__work=work).values_list("kind", flat=True))
    assert kinds == {"rating", "warning", "category", "fandom", "relationship", "character", "freeform"}
    new_tag = Tag.objects.get(name=NEW_TAG)
    assert (new_tag.kind, new_tag.canonical) == ("freeform", False)
    status, html = guest.sees(f"{base}/works/{work.pk}")
    assert status == 200 and "Ada lit it." in html

    # Chapter 2 posted now, chapter 3 scheduled for tomorrow.
    _visit(page, f"{base}/works/{work.pk}/chapters/new", errors)
    page.get_by_label("Chapter title").fill("Squall")
    page.get_by_label("Chapter text").fill("The squall came at noon.")
    _click(page, errors, page.get_by_role("button", name="Post"))
    _visit(page, f"{base}/works/{work.pk}/chapters/new", errors)
    page.get_by_label("Chapter title").fill("Morning")
    page.get_by_label("Chapter text").fill("Morning found the saxifrage blooming.")
    when = timezone.localtime(timezone.now() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    page.get_by_label("Post at").fill(when.strftime("%Y-%m-%dT%H:%M"))
    _click(page, errors, page.get_by_role("button", name="Schedule"))
    expect(page.get_by_role("row", name="Morning")).to_contain_text("Scheduled for")
    assert list(work.chapters.order_by("position").values_list("title", "posted")) == [
        ("Landfall", True),
        ("Squall", True),
        ("Morning", False),
    ]

    # Search finds the work once the outbox is drained, but not the scheduled chapter's words.
    assert "Keeper of the Quillwort Light" not in _search(page, base, errors, "quillwort")
    assert drain_all(get_backend()) >= 1
    assert "Keeper of the Quillwort Light" in _search(page, base, errors, "quillwort")
    assert "Keeper of the Quillwort Light" in _search(page, base, errors, "squall")
    assert "Keeper of the Quillwort Light" not in _search(page, base, errors, "saxifrage")
    status, html = guest.sees(f"{base}/works/{work.pk}?view_full_work=true")
    assert "The squall came at noon." in html and "saxifrage" not in html
    assert guest.sees(f"{base}/works/{work.pk}/chapters/3")[0] == 404

    # The scheduler's run after its time posts it.
    assert do_post_due(when - dt.timedelta(minutes=1)) == 0
    assert do_post_due(when + dt.timedelta(minutes=1)) == 1
    status, html = guest.sees(f"{base}/works/{work.pk}/chapters/3")
    assert status == 200 and "saxifrage blooming" in html
    assert drain_all(get_backend()) >= 1
    assert "Keeper of the Quillwort Light" in _search(page, base, errors, "saxifrage")
    html = guest.sees(f"{base}/tags/{quote(NEW_TAG)}/works")[1]
    assert "Keeper of the Quillwort Light" in html

    # A co-creator, signed up in a second browser, accepts from their dashboard.
    other_context = browser.new_context(viewport={"width": 1280, "height": 900})
    other = other_context.new_page()
    other_errors = _watch(other)
    _sign_up_and_log_in(other, base, smtp_server, "bea", other_errors)
    _visit(page, f"{base}/works/{work.pk}/edit", errors)
    page.fill("#id_cocreators", "bea")
    _click(page, errors, page.locator("button[value=post]"))
    assert "bea" not in guest.sees(f"{base}/works/{work.pk}")[1]
    expect(guest.page.locator("p.byline")).to_have_text("by ada")
    _visit(other, base + "/dashboard", other_errors)
    invitation = other.locator(".invitations li", has_text="Keeper of the Quillwort Light")
    _click(other, other_errors, invitation.get_by_role("button", name="Accept"))
    other.screenshot(path=str(artifacts / "journey_cocreator.png"), full_page=True)
    _visit(other, f"{base}/works/{work.pk}", other_errors)
    expect(other.locator("p.byline")).to_have_text("by ada, bea")
    other_context.close()

    # Edit: the title and a tag.
    _visit(page, f"{base}/works/{work.pk}/edit", errors)
    page.fill("#id_title", "Keeper of the Quillwort Lamp")
    _fill_tags(page, "#id_characters", "Ada Renner, Tomas Vey, Mira Holt")
    _click(page, errors, page.locator("button[value=post]"))
    status, html = guest.sees(f"{base}/works/{work.pk}")
    assert "Keeper of the Quillwort Lamp" in html and "Mira Holt" in html

    # Orphan it, keeping the pseud's name on the byline.
    _visit(page, f"{base}/works/{work.pk}/orphan", errors)
    page.check("input[name=pseud][value=keep]")
    _click(page, errors, page.get_by_role("button", name="Yes, orphan work"))
    guest.sees(f"{base}/works/{work.pk}")
    byline = guest.page.locator("p.byline")
    expect(byline).to_have_text("by ada, bea")
    assert byline.get_by_role("link", name="ada").get_attribute("href") == "/users/orphan_account/works"
    guest.page.screenshot(path=str(artifacts / "journey_orphaned.png"), full_page=True)
    _visit(page, base + "/dashboard", errors)
    expect(page.locator(".dashboard-works")).not_to_contain_text("Quillwort")

    # Another work, posted and then deleted after the confirmation page.
    _visit(page, base + "/works/new", errors)
    _fill_new_work(page, "A Brief Sandbar", "Gone with the tide.")
    _click(page, errors, page.locator("button[value=post]"))
    doomed = Work.objects.get(title="A Brief Sandbar")
    assert guest.sees(f"{base}/works/{doomed.pk}")[0] == 200
    _visit(page, f"{base}/works/{doomed.pk}/delete", errors)
    _click(page, errors, page.get_by_role("button", name="Yes, delete work"))
    assert not Work.objects.filter(pk=doomed.pk).exists()
    assert guest.sees(f"{base}/works/{doomed.pk}")[0] == 404
    drain_all(get_backend())
    assert "A Brief Sandbar" not in _search(page, base, errors, "sandbar")
    guest_context.close()
