"""Issue 14's "Done when", as a matrix: a member who excludes a tag and mutes a creator never sees
those works on any listing, search, feed or count route, on every search backend. A work's own
page and its series still open by their address (AO3 does the same: exclusions filter lists,
not links). The counts each route shows equal the in-memory reference backend's for the same query
and exclusions."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.test import Client

from fanarchive.archive.access import saved_exclusions, search_query
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.bookmarks import BookmarkFields, do_bookmark
from fanarchive.archive.actions.exclusions import do_exclude_tag, do_mute
from fanarchive.archive.indexing.documents import build_documents, tag_entries
from fanarchive.archive.indexing.service import searcher
from fanarchive.archive.models import SerialWork, Series, Tag, User, Work
from fanarchive.domain.exclusions import narrowed
from fanarchive.domain.query import SearchQuery
from fanarchive.domain.tags import TagKind, tag_to_url_part
from fanarchive.search.documents import SearchResult
from fanarchive.search.memory_backend import MemoryBackend

pytestmark = pytest.mark.django_db

FANDOM = "Saltmarsh Chronicles"
EXCLUDED, MUTED, KEPT = "Quokka", "Narwhal", "Lanternfish"


def _tags(*freeforms: str) -> dict[str, list[str]]:
    return {"rating": ["General Audiences"], "fandom": [FANDOM], "freeform": list(freeforms)}


def _listing_routes(series_id: int) -> dict[str, list[str]]:
    fandom = quote(tag_to_url_part(FANDOM))
    words = "harbour%20OR%20crossing%20OR%20shallows"
    return {
        "home": ["/"],
        "works": ["/works", "/works?sort=title", f"/works?q={words}", "/works?per_page=100&sort=words"],
        "tag": [f"/tags/{fandom}"],
        "tag_works": [f"/tags/{fandom}/works", "/tags/Fluff/works"],
        "tag_feed": [f"/tags/{fandom}/feed.atom"],
        "dashboard": ["/dashboard"],
        # An author's pages list works: the excluded work is ada's, the muted one bea's.
        "user": ["/users/ada", "/users/bea"],
        "user_works": ["/users/ada/works", "/users/bea/works"],
        "pseud": ["/users/ada/pseuds/ada", "/users/bea/pseuds/bea"],
        "user_feed": ["/users/ada/feed.atom", "/users/bea/feed.atom"],
        "opds_author": ["/opds/authors/ada", "/opds/authors/bea"],
        "user_bookmarks": ["/users/dora/bookmarks"],
        "opds_recent": ["/opds/recent"],
        "opds_search": [f"/opds/search?q={words}"],
        "opds_fandom": [f"/opds/fandoms/{fandom}"],
        "opds_tag": ["/opds/tags/Fluff"],
    }


@pytest.fixture
def member(client: Client, make_work: Callable[..., Work], backend: str) -> dict[str, int]:
    kept = make_work(f"{KEPT} Harbour", owner="ada", tags=_tags("Fluff"))
    excluded = make_work(f"{EXCLUDED} Crossing", owner="ada", tags=_tags("Fluff", "Marsh Angst"))
    muted = make_work(f"{MUTED} Shallows", owner="bea", tags=_tags("Fluff"))
    series = Series.objects.create(title="Tideline Series")
    for position, work in enumerate((kept, excluded, muted), start=1):
        SerialWork.objects.create(series=series, work=work, position=position)
    carl = User.objects.create_user("carl", password="x")
    do_ensure_default_pseud(carl)
    do_exclude_tag(carl, Tag.objects.get(name="Marsh Angst"))
    do_mute(carl, User.objects.get(username="bea"))
    dora = User.objects.create_user("dora", password="x")
    for work in (kept, excluded, muted):
        do_bookmark(dora, BookmarkFields(pseud=do_ensure_default_pseud(dora)), work=work)
    client.force_login(carl)
    return {"kept": kept.pk, "excluded": excluded.pk, "muted": muted.pk, "series": series.pk}


def test_listing_search_and_feed_routes_leave_out_the_excluded_and_the_muted(
    client: Client, member: dict[str, int]
) -> None:
    problems: list[str] = []
    for route, urls in _listing_routes(member["series"]).items():
        for url in urls:
            response = client.get(url)
            body = response.content.decode()
            if response.status_code != 200:
                problems.append(f"{route} {url}: {response.status_code}")
            for hidden in (EXCLUDED, MUTED):
                if hidden in body:
                    problems.append(f"{route} {url} shows {hidden}")
    assert problems == []
    # The kept work is still listed: the routes above answer with real listings.
    for url in (
        "/works",
        "/users/ada",
        "/users/dora/bookmarks",
        f"/tags/{quote(tag_to_url_part(FANDOM))}/works",
        "/opds/recent",
    ):
        assert KEPT in client.get(url).content.decode(), url


def _reference() -> MemoryBackend:
    """The in-memory reference backend, holding the same documents the route's backend was fed."""
    reference = MemoryBackend()
    reference.index(build_documents(list(Work.objects.values_list("pk", flat=True))))
    reference.index_tags(tag_entries())
    reference.commit()
    return reference


def test_listing_counts_equal_the_reference_backends(
    client: Client, member: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every query a listing route asks the search backend carries the member's exclusions, and
    its total, facet counts and page are what the in-memory reference backend answers to it."""
    backend = searcher()
    asked: list[tuple[SearchQuery, SearchResult]] = []
    search = backend.search

    def recording(query: SearchQuery) -> SearchResult:
        result = search(query)
        # A copy: the listing service empties the ids of a page past the last one.
        asked.append((query, dataclasses.replace(result, ids=list(result.ids))))
        return result

    monkeypatch.setattr(backend, "search", recording)
    for urls in _listing_routes(member["series"]).values():
        for url in urls:
            client.get(url)
    saved = saved_exclusions(User.objects.get(username="carl"))
    reference = _reference()
    assert len(asked) >= 10
    for query, result in asked:
        assert set(saved.tag_ids) <= set(query.exclude_tag_ids), query
        assert set(saved.creator_ids) <= set(query.exclude_creator_ids), query
        expected = reference.search(query)
        assert (result.total, result.facets, result.ids) == (expected.total, expected.facets, expected.ids)
    assert any(facets for _, found in asked for facets in found.facets.values())


def _count(body: str, name: str) -> int:
    match = re.search(rf"{re.escape(name)}\D{{0,200}}?\((\d+)\)", body) or re.search(
        rf"{re.escape(name)}</title>.{{0,600}}?(\d+) works?", body, re.S
    )
    assert match, name
    return int(match.group(1))


def test_counts_leave_them_out_too(client: Client, member: dict[str, int]) -> None:
    # Counted in the database, they equal what the reference backend counts for the same listing.
    carl = User.objects.get(username="carl")
    fandom = SearchQuery(include_tag_ids=(Tag.objects.get(name=FANDOM).pk,))
    expected = _reference().search(search_query(carl, narrowed(fandom, saved_exclusions(carl)))).total
    assert expected == 1
    authors = client.get("/opds/authors").content.decode()
    assert "bea" not in authors
    assert _count(authors, "ada") == expected
    for url in ("/fandoms", "/opds/fandoms", f"/opds/kinds/{TagKind.FANDOM.value}"):
        assert _count(client.get(url).content.decode(), FANDOM) == expected, url
    # Tag autocomplete names tags, not works; its counts are not shown to readers.
    client.logout()
    assert _count(client.get("/fandoms").content.decode(), FANDOM) == 3


def test_the_works_own_pages_still_open_by_their_address(client: Client, member: dict[str, int]) -> None:
    # A series is a reading order its creators set, like a work's own page: it keeps every work.
    series = client.get(f"/series/{member['series']}").content.decode()
    assert EXCLUDED in series and MUTED in series
    for key, word in (("excluded", EXCLUDED), ("muted", MUTED)):
        response = client.get(f"/works/{member[key]}", follow=True)
        assert response.status_code == 200 and word in response.content.decode()
