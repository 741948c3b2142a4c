"""Comments in Chromium under the site's CSP: a guest and a member comment on a moderated work, the
creator approves and replies, the member edits, the creator freezes the thread; nothing the
hostile comment carried runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from tests.browser.test_csp import _visit, _watch

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.models import Comment, User, Work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser: Any, live_server: Any, user: User | None) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def test_comment_reply_moderate_edit_and_freeze(
    live_server: Any, browser: Any, make_work: Callable[..., Work], artifacts: Path
) -> None:
    cache.clear()  # rate-limit counters of earlier tests
    work = make_work("Harbour Lights", owner="ada", chapters=2)
    Work.objects.filter(pk=work.pk).update(moderate_comments=True)
    ada = User.objects.get(username="ada")
    reader = User.objects.create_user("reader", password="x")
    do_ensure_default_pseud(reader)
    chapter_two = f"{live_server.url}/works/{work.pk}/chapters/2"

    guest = _as(browser, live_server, None)
    guest_errors = _watch(guest)
    _visit(guest, chapter_two, guest_errors)
    guest.fill("#id_guest_name", "Gull")
    guest.fill("#id_guest_email", "gull@example.org")
    guest.fill("#id_body", 'Lovely! <img src=x onerror="window.__hit=1"><script>window.__hit=1</script>')
    guest.click("form.comment-form button[type=submit]")
    guest.wait_for_url("**comment=held*")
    assert "it will appear once a creator approves it" in guest.content()
    assert guest.evaluate("window.__hit") is None

    member = _as(browser, live_server, reader)
    member_errors = _watch(member)
    _visit(member, chapter_two, member_errors)
    member.fill("#id_body", "The *lighthouse* chapter.")
    member.click("form.comment-form button[type=submit]")
    member.wait_for_url("**comment=held*")
    assert "awaiting the creator" in member.content()

    creator = _as(browser, live_server, ada)
    creator_errors = _watch(creator)
    _visit(creator, chapter_two, creator_errors)
    for comment in Comment.objects.order_by("pk"):
        creator.locator(f"#comment-{comment.pk} button[value=approve]").click()
        creator.wait_for_url("**comment=approve*")
    first = Comment.objects.order_by("pk").first()
    assert first is not None
    creator.locator(f"#comment-{first.pk} >> a:text('Reply')").first.click()
    creator.wait_for_url(f"**/comments/{first.pk}/reply")
    creator.fill("#id_body", "Thank you, Gull!")
    creator.click("form.comment-form button[type=submit]")
    creator.wait_for_url("**comment=posted*")
    creator.screenshot(path=str(artifacts / "comments-creator.png"), full_page=True)

    _visit(guest, chapter_two, guest_errors)
    thread = guest.locator(f"#comment-{first.pk}")
    assert "Lovely!" in thread.inner_text() and "Thank you, Gull!" in thread.inner_text()
    assert guest.evaluate("window.__hit") is None
    assert "Comments:" in guest.content()

    mine = Comment.objects.get(pseud__user=reader)
    _visit(member, chapter_two, member_errors)
    member.locator(f"#comment-{mine.pk} >> a:text('Edit')").click()
    member.fill("#id_body", "The lighthouse chapter, again.")
    member.click("form.comment-form button[type=submit]")
    member.wait_for_url("**comment=edited*")
    assert "(edited" in member.locator(f"#comment-{mine.pk}").inner_text()

    _visit(creator, chapter_two, creator_errors)
    creator.locator(f"#comment-{first.pk} button[value=freeze]").first.click()
    creator.wait_for_url("**comment=freeze*")
    _visit(member, chapter_two, member_errors)
    assert member.locator(f"#comment-{first.pk} a:text('Reply')").count() == 0
    assert member.locator(f"#comment-{mine.pk} a:text('Reply')").count() == 1
    member.screenshot(path=str(artifacts / "comments-member.png"), full_page=True)
    for page in (guest, member, creator):
        page.context.close()
