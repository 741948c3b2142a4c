"""A work from a DOCX in Chromium under the CSP: a member uploads it on /works/new/upload, reads the
parser's doubts on the review page, edits a field, posts it, and finds it on /works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect
from tests.browser.test_csp import _visit, _watch

from fanarchive.archive.indexing.indexer import drain_all
from fanarchive.archive.indexing.service import get_backend
from fanarchive.archive.models import User, Work
from support import docx_builder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _settled(page: Any, errors: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    assert (page.evaluate("window.__violations"), errors) == ([], []), page.url


def test_upload_a_docx_review_edit_and_post(
    live_server: Any, page: Any, tmp_path: Path, artifacts: Path, settings: Any
) -> None:
    settings.SEARCH_INDEX_IMMEDIATELY = False  # the indexer drains the outbox, as when served
    _log_in(page, live_server, User.objects.create_user("orchardist", password="x"))
    errors = _watch(page)
    base = live_server.url
    docx_file = tmp_path / "orchard.docx"
    docx_file.write_bytes(docx_builder.styled_document())

    _visit(page, base + "/works/new/upload", errors)
    page.get_by_label("File").set_input_files(str(docx_file))
    page.get_by_role("button", name="Make a draft").click()
    _settled(page, errors)
    draft = Work.objects.get(title="The Orchard Keeper")
    assert page.url == f"{base}/works/{draft.pk}/review" and not draft.posted
    doubts = draft.source_extra["doubts"]
    assert doubts, "the DOCX's author property is a doubt"
    expect(page.locator("ul.doubts li")).to_have_text(doubts)
    expect(page.locator("main")).to_contain_text("Marisol Endicott")
    expect(page.locator("main ol li")).to_have_count(2)
    page.screenshot(path=str(artifacts / "upload_review.png"), full_page=True)
    assert Client().get(f"/works/{draft.pk}").status_code == 404

    page.get_by_role("link", name="Edit the draft").click()
    _settled(page, errors)
    assert page.url == f"{base}/works/{draft.pk}/edit"
    page.fill("#id_title", "The Orchard Keeper's Windfall")
    page.select_option("#id_rating", "General Audiences")
    page.check("input[name=warnings][value='No Archive Warnings Apply']")
    with page.expect_response(lambda r: "/autocomplete/tags" in r.url):
        # Sent only once the field's autocomplete has answered: no request races the post.
        page.fill("#id_fandoms", "Orchard Seasons")
    page.fill("#id_summary", "Winnie and the small apples.")
    page.locator("button[value=draft]").click()
    _settled(page, errors)
    draft.refresh_from_db()
    assert (draft.title, draft.posted) == ("The Orchard Keeper's Windfall", False)

    _visit(page, f"{base}/works/{draft.pk}/review", errors)
    page.get_by_role("button", name="Post it").click()
    _settled(page, errors)
    draft.refresh_from_db()
    assert draft.posted
    expect(page.locator("h1.title")).to_have_text("The Orchard Keeper's Windfall")

    assert drain_all(get_backend()) >= 1
    _visit(page, base + "/works", errors)
    expect(page.locator("main")).to_contain_text("The Orchard Keeper's Windfall")
    _visit(page, base + "/works?q=windfall", errors)
    expect(page.get_by_role("link", name="The Orchard Keeper's Windfall")).to_have_count(1)
    page.screenshot(path=str(artifacts / "upload_posted.png"), full_page=True)
