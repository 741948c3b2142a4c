"""Issue 14's community journey in Chromium under the CSP: on a work whose comments are moderated, a
member and a guest leave kudos without leaving the page and comment; the creator approves and
replies; the member bookmarks with tags and notes and subscribes to the work, its creator and a tag.
A chapter and a tagged work, posted through the pages, each reach the member once: in the inbox, in
one mail through a real SMTP server, and in the private Atom feed. On a daily digest, two more
posts come in one mail naming both (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from playwright.sync_api import expect
from tests.browser.test_csp import _visit, _watch

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.models import Bookmark, Comment, InboxItem, Subscription, User, Work
from fanarchive.archive.tasks import mail_digests, mail_inbox_items
from support.smtp_server import Inbox, smtp_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["smtp_server"]

TAG = "Lighthouse Keeping"
FANDOM = "Saltmarsh Chronicles"
B_MAIL = "bea@example.org"


class Visitor:
    """One browser context (logged in when given a user) whose every page is checked for CSP
    violations and console errors."""

    def __init__(self, browser: Any, base: str, user: User | None) -> None:
        self.base = base
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
        self.page = context.new_page()
        self.errors = _watch(self.page)

    def visit(self, path: str) -> Any:
        _visit(self.page, self.base + path, self.errors)
        return self.page

    def click(self, locator: Any) -> None:
        locator.click()
        self.clean()

    def clean(self) -> None:
        self.page.wait_for_load_state("networkidle")
        faults = [e for e in self.errors if "status of 404" not in e]
        assert (self.page.evaluate("window.__violations"), faults) == ([], []), self.page.url
        self.errors.clear()


def _kudos_in_place(visitor: Visitor, work: Work, expected_from: str) -> None:
    page = visitor.visit(f"/works/{work.pk}")
    before = int(page.locator("[data-kudos-count]").inner_text().replace(",", ""))
    page.evaluate("() => { window.notReloaded = true; }")
    url = page.url
    page.get_by_role("button", name="Kudos ♥").click()
    page.get_by_text("Thank you for leaving kudos!").wait_for()
    expect(page.locator("[data-kudos-count]")).to_have_text(str(before + 1))
    assert page.url == url and page.evaluate("() => window.notReloaded") is True
    expect(page.locator(".kudos-from")).to_have_text(expected_from)
    visitor.clean()


def _fill_tags(page: Any, field: str, names: str) -> None:
    # The autocomplete's request must be answered before the form is sent (SQLite's in-memory
    # test database is shared with the live server: a request in flight races the post).
    with page.expect_response(lambda r: "/autocomplete/tags" in r.url):
        page.fill(field, names)


def _post_chapter(author: Visitor, work: Work, title: str, text: str) -> None:
    page = author.visit(f"/works/{work.pk}/chapters/new")
    page.get_by_label("Chapter title").fill(title)
    page.get_by_label("Chapter text").fill(text)
    author.click(page.get_by_role("button", name="Post"))


def _post_work(author: Visitor, title: str, freeforms: str) -> Work:
    page = author.visit("/works/new")
    page.select_option("#id_rating", "General Audiences")
    page.check("input[name=warnings][value='No Archive Warnings Apply']")
    _fill_tags(page, "#id_fandoms", FANDOM)
    _fill_tags(page, "#id_freeforms", freeforms)
    page.fill("#id_title", title)
    page.fill("#id_chapter_text", f"The first lines of {title}.")
    author.click(page.locator("button[value=post]"))
    work = Work.objects.get(title=title)
    assert work.posted and page.url.endswith(f"/works/{work.pk}")
    return work


def _subscribe(visitor: Visitor, path: str) -> None:
    page = visitor.visit(path)
    visitor.click(page.locator("form.subscribe").get_by_role("button", name="Subscribe"))
    expect(page.locator("form.subscribe").get_by_role("button", name="Unsubscribe")).to_be_visible()


def _inbox_titles(visitor: Visitor) -> list[str]:
    page = visitor.visit("/inbox")
    return sorted(page.locator("li.inbox-item > a").all_inner_texts())


def test_the_community_journey(
    live_server: Any,
    browser: Any,
    smtp_server: Inbox,
    make_work: Callable[..., Work],
    artifacts: Path,
    settings: Any,
) -> None:
    cache.clear()  # rate-limit counters of earlier tests
    base = live_server.url
    settings.SITE_URL = base
    work = make_work(
        "Harbour Lights",
        owner="ada",
        chapters=1,
        tags={"rating": ["General Audiences"], "fandom": [FANDOM], "freeform": [TAG]},
    )
    Work.objects.filter(pk=work.pk).update(moderate_comments=True)
    ada = User.objects.get(username="ada")
    bea = User.objects.create_user("bea", email=B_MAIL, password="x")
    do_ensure_default_pseud(bea)
    author, member, guest = (Visitor(browser, base, u) for u in (ada, bea, None))

    # Kudos from a member and a guest: the count goes up where the reader is.
    _kudos_in_place(member, work, "bea left kudos on this work!")
    _kudos_in_place(guest, work, "bea and 1 guest left kudos on this work!")

    # Both comments wait for the creator.
    page = member.visit(f"/works/{work.pk}")
    page.fill("#id_body", "The lamp scene, again and again.")
    member.click(page.locator("form.comment-form button[type=submit]"))
    assert "comment=held" in page.url
    page = guest.visit(f"/works/{work.pk}")
    page.fill("#id_guest_name", "Gull")
    page.fill("#id_guest_email", "gull@example.org")
    page.fill("#id_body", "Lovely harbour!")
    guest.click(page.locator("form.comment-form button[type=submit]"))
    assert "comment=held" in page.url
    assert "Lovely harbour!" not in member.visit(f"/works/{work.pk}").locator("#comments").inner_text()
    held = list(Comment.objects.order_by("pk"))
    assert len(held) == 2

    page = author.visit(f"/works/{work.pk}")
    for comment in held:
        author.click(page.locator(f"#comment-{comment.pk} button[value=approve]"))
    gulls = held[1]
    author.click(page.locator(f"#comment-{gulls.pk} >> a:text('Reply')").first)
    page.fill("#id_body", "Thank you, Gull!")
    # The worker's part, done by the live server itself: mailing the reply to the guest.
    HUEY.immediate = True
    try:
        author.click(page.locator("form.comment-form button[type=submit]"))
    finally:
        HUEY.immediate = False
    assert "comment=posted" in page.url
    thread = guest.visit(f"/works/{work.pk}").locator(f"#comment-{gulls.pk}")
    expect(thread).to_contain_text("Lovely harbour!")
    expect(thread).to_contain_text("Thank you, Gull!")
    expect(guest.page.locator("#comments")).to_contain_text("The lamp scene, again and again.")

    # A bookmark with the member's own tags and notes.
    page = member.visit(f"/works/{work.pk}")
    page.locator("details.bookmark-box > summary").click()
    page.fill("#bookmark_notes", "Read it on the ferry.")
    page.fill("#bookmark_tags", "comfort read, ferry")  # no autocomplete on a work page
    member.click(page.locator(".bookmark-form").get_by_role("button", name="Create"))
    bookmark = Bookmark.objects.get(pseud__user=bea)
    assert bookmark.notes and "ferry" in bookmark.notes
    assert sorted(bookmark.tags.values_list("name", flat=True)) == ["comfort read", "ferry"]
    listed = member.visit("/users/bea/bookmarks").locator("main")
    expect(listed).to_contain_text("Harbour Lights")
    expect(listed).to_contain_text("Read it on the ferry.")
    expect(listed).to_contain_text("comfort read")

    # Subscriptions to the work, its creator and a tag.
    _subscribe(member, f"/works/{work.pk}")
    _subscribe(member, "/users/ada")
    _subscribe(member, f"/tags/{quote(TAG)}")
    assert Subscription.objects.filter(user=bea).count() == 3
    # The reply reached the guest at the address they left.
    (reply_mail,) = smtp_server.to("gull@example.org")
    reply = Comment.objects.get(parent=gulls)
    assert f"{base}/works/{work.pk}#comment-{reply.pk}" in smtp_server.text(reply_mail)
    assert smtp_server.to(B_MAIL) == []
    mail_inbox_items()  # anything earlier (the creator's comment items) is out of the way
    smtp_server.messages.clear()

    # A chapter and a new tagged work, each heard of once though two subscriptions match.
    _post_chapter(author, work, "Squall", "The squall came at noon.")
    second = _post_work(author, "Tidewater Nights", f"{TAG}, Night Watch")
    assert _inbox_titles(member) == [
        "New chapter of Harbour Lights: Chapter 2: Squall",
        "New work: Tidewater Nights",
    ]
    assert InboxItem.objects.filter(user=bea).count() == 2
    member.page.screenshot(path=str(artifacts / "community_inbox.png"), full_page=True)
    mail_inbox_items()
    assert mail_inbox_items() == 0
    mails = smtp_server.to(B_MAIL)
    assert len(mails) == 2 and len(smtp_server.messages) == 2
    subjects = sorted(str(m["Subject"]) for m in mails)
    assert "New chapter of Harbour Lights" in subjects[0] and "New work: Tidewater Nights" in subjects[1]
    texts = " ".join(smtp_server.text(m) for m in mails)
    assert f"{base}/works/{work.pk}/chapters/2" in texts and f"{base}/works/{second.pk}" in texts

    # The private feed lists both, for whoever holds the address (no session needed).
    page = member.visit("/inbox/settings")
    member.click(page.get_by_role("button", name="Turn on my private feed"))
    feed_url = page.get_by_label("Your private feed's address").input_value()
    feed = guest.page.request.get(feed_url)
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    body = feed.text()
    assert body.count("<entry>") == 2
    assert "New chapter of Harbour Lights" in body and "New work: Tidewater Nights" in body

    # A daily digest: two more posts, one mail naming both.
    page = member.visit("/inbox/settings")
    page.get_by_label("Daily digest").check()
    member.click(page.get_by_role("button", name="Save"))
    _post_chapter(author, work, "Ebb", "The ebb left the boats aground.")
    third = _post_work(author, "Saltgrass Mornings", TAG)
    assert InboxItem.objects.filter(user=bea).count() == 4
    assert mail_inbox_items() == 0
    assert mail_digests(timezone.now() + dt.timedelta(days=1, minutes=1)) == 1
    assert mail_digests(timezone.now() + dt.timedelta(days=1, minutes=2)) == 0
    mails = smtp_server.to(B_MAIL)
    assert len(mails) == 3 and len(smtp_server.messages) == 3
    digest = smtp_server.text(mails[-1])
    assert "2 new in your inbox" in str(mails[-1]["Subject"])
    assert f"{base}/works/{work.pk}/chapters/3" in digest and f"{base}/works/{third.pk}" in digest
    assert "Harbour Lights" in digest and "Saltgrass Mornings" in digest
    for visitor in (author, member, guest):
        visitor.page.context.close()
