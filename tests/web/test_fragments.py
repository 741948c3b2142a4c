"""Fragments of a work's page (tags, stats, byline, notes) are made once and reused for logged-in
members too; after any change each member page is what it would be with no cache at all; and a
page served from fragments skips the queries that would have built them."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.web.test_page_cache import CHANGES, MakeWork, _cache_off, _without_tokens

from fanarchive.archive.models import User, Work
from fanarchive.archive.pagecache.versions import SITE, version_store, work_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(make_work: MakeWork) -> Work:
    # What the page cache's CHANGES change: a work by ferris with the tag Slow Burn.
    return make_work("Harbour Lights", owner="ferris", chapters=2, tags={"freeform": ["Slow Burn"]})


# Changes whose text a work page shows (a merged tag still shows under the name it was given).
_SHOWN_ON_THE_WORK = {"chapter-title", "pseud-renamed", "comment", "kudos"}


def _member_pages(work: Work) -> list[str]:
    return [
        "/",
        "/works",
        "/users/ferris/works",
        "/tags/Slow%20Burn/works",
        f"/works/{work.pk}/chapters/1",
        f"/works/{work.pk}/chapters/2",
        f"/works/{work.pk}?view_full_work=true",
    ]


def _read(client: Client, urls: list[str]) -> dict[str, str]:
    return {url: _without_tokens(client.get(url).content.decode()) for url in urls}


def _member() -> Client:
    reader = User.objects.create_user("wren", password="x")
    client = Client()
    client.force_login(reader)
    return client


@pytest.mark.parametrize("change", CHANGES)
def test_no_member_page_is_stale_after_a_change(work: Work, change: str) -> None:
    member = _member()
    before = _read(member, _member_pages(work))
    assert _read(member, _member_pages(work)) == before  # from the fragments now
    shown, _gone = CHANGES[change](work)
    after = _read(member, _member_pages(work))
    with _cache_off():
        fresh = _read(member, _member_pages(work))
    for url in _member_pages(work):
        assert after[url] == fresh[url], url
    if change in _SHOWN_ON_THE_WORK:
        assert any(shown in page for page in after.values()) and not any(
            shown in page for page in before.values()
        )


def test_a_listing_keeps_each_blurb_for_the_next_reader(work: Work) -> None:
    from fanarchive.archive.indexing.indexer import drain_all
    from fanarchive.archive.indexing.service import get_backend

    # Indexed first: the index's commit replaces the version, as the indexer's does.
    drain_all(get_backend())
    member = _member()
    page = member.get("/works").content.decode()
    assert "Harbour Lights" in page
    # Kept under the versions of the site and of the work: the next reader of any listing gets them made.
    tokens = version_store().read([SITE, work_key(work.pk)])
    pages = caches["pages"]
    for name, keys in (("blurb_head", [work.pk]), ("blurb_body", [work.pk, ""])):
        kept = pages.get(make_template_fragment_key(name, [*tokens, *keys]))
        assert kept and kept in page, name
    assert Client().get("/works").content.decode().count("Harbour Lights") == page.count("Harbour Lights")


def test_a_member_page_from_fragments_skips_building_the_blurb(work: Work) -> None:
    member = _member()
    url = f"/works/{work.pk}/chapters/2"
    member.get(url)  # fragments made; the reading history row written
    with CaptureQueriesContext(connection) as warm:
        from_fragments = member.get(url)
    with _cache_off(), CaptureQueriesContext(connection) as cold:
        made = member.get(url)
    assert _without_tokens(from_fragments.content.decode()) == _without_tokens(made.content.decode())
    tables = [q["sql"] for q in warm.captured_queries]
    assert not any('FROM "archive_tagging"' in sql for sql in tables)
    assert not any('FROM "archive_creatorship"' in sql and "pseud__name" in sql for sql in tables)
    # The comments heading's stats come with the work's row, not a query of their own.
    assert not any('FROM "archive_statcounter"' in sql for sql in tables)
    # Five queries build the blurb (credits, tags, stats, chapter count, series).
    assert len(warm.captured_queries) == len(cold.captured_queries) - 5
