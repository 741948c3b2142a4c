from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fanarchive.archive.models import Work

pytestmark = pytest.mark.django_db


def test_home_lists_recent_works_and_fandoms(client: Client, make_work: Callable[..., Work]) -> None:
    make_work("The Quiet Harbour")
    make_work("Lanterns", tags={"fandom": ["Lighthouse Keepers (TV)"]})
    page = client.get("/").content.decode()
    assert "The Quiet Harbour" in page and "Lanterns" in page
    assert "Lighthouse Keepers (TV)" in page and "Saltmarsh Chronicles" in page


def test_work_page_redirects_to_first_chapter_and_pages(
    client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work(chapters=3)
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 302 and response["Location"] == f"/works/{work.pk}/chapters/1"
    second = client.get(f"/works/{work.pk}/chapters/2").content.decode()
    assert "Tide 2" in second and "for the 2 time" in second and "for the 3 time" not in second
    assert f'href="/works/{work.pk}/chapters/1"' in second and f'href="/works/{work.pk}/chapters/3"' in second
    full = client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    assert all(f"for the {n} time" in full for n in (1, 2, 3))
    assert full.index("A note before.") < full.index("for the 1 time") < full.index("A note after.")
    assert client.get(f"/works/{work.pk}/chapters/4").status_code == 404


def test_one_shot_shows_its_text_on_the_work_page(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Single", chapters=1)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "for the 1 time" in page and "Teen" not in page and "General Audiences" in page


def test_tag_and_user_pages(client: Client, make_work: Callable[..., Work]) -> None:
    make_work("Ships", tags={"relationship": ["Ada Renner/Mira Quell"], "fandom": ["Saltmarsh Chronicles"]})
    make_work("Lonely Lighthouse", authors=("Ferris Lane",), tags={"fandom": ["Lighthouse Keepers (TV)"]})
    listing = client.get("/tags/Ada Renner*s*Mira Quell/works").content.decode()
    assert "Ships" in listing and "Lonely Lighthouse" not in listing
    tag = client.get("/tags/Ada Renner*s*Mira Quell").content.decode()
    assert "Relationship" in tag
    by_author = client.get("/users/Ferris_Lane/works").content.decode()
    assert "Lonely Lighthouse" in by_author and "Ships" not in by_author
    assert "Ferris Lane" in client.get("/users/Ferris_Lane").content.decode()
    fandoms = client.get("/fandoms").content.decode()
    assert "Lighthouse Keepers (TV)" in fandoms and "(1)" in fandoms
    assert client.get("/tags/No Such Tag/works").status_code == 404


def test_restricted_work_is_404_for_guests(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Members only")
    Work.objects.filter(pk=work.pk).update(restricted=True)
    assert client.get(f"/works/{work.pk}").status_code == 404
    assert "Members only" not in client.get("/").content.decode()


def test_listing_query_count_does_not_grow_with_page_size(
    client: Client, make_work: Callable[..., Work]
) -> None:
    from fanarchive.archive.indexing.service import searcher

    make_work("First")
    searcher()  # index now, so that only the page's own queries are counted
    with CaptureQueriesContext(connection) as few:
        client.get("/works")
    for n in range(12):
        make_work(f"More {n}", authors=(f"author{n}", "shared"))
    searcher()
    with CaptureQueriesContext(connection) as many:
        assert "More 11" in client.get("/works").content.decode()
    assert len(many) == len(few) <= 10


def test_pages_announce_their_feeds(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Fed", tags={"relationship": ["Ada Renner/Mira Quell"]})
    tag_page = client.get("/tags/Ada Renner*s*Mira Quell/works").content.decode()
    assert 'type="application/atom+xml" href="/tags/Ada%20Renner*s*Mira%20Quell/feed.atom"' in tag_page
    assert 'href="/users/quietharbour/feed.atom"' in client.get("/users/quietharbour/works").content.decode()
    work_page = client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    assert f'href="/works/{work.pk}/feed.atom"' in work_page
    assert 'profile=opds-catalog;kind=navigation" href="/opds/"' in work_page
    assert client.get("/tags/Ada Renner*s*Mira Quell/feed.atom").status_code == 200


def test_fandoms_index_groups_by_media(client: Client, make_work: Callable[..., Work]) -> None:
    make_work("A", tags={"fandom": ["The Lighthouse Keepers (TV)"]})
    make_work("B", tags={"fandom": ["Starfall Academy (Video Game)", "The Lighthouse Keepers (TV)"]})
    page = client.get("/fandoms").content.decode()
    tv, games = page.index(">TV Shows</h2>"), page.index(">Video Games</h2>")
    assert tv < page.index("The Lighthouse Keepers (TV)</a> (2)") < games
    assert games < page.index("Starfall Academy (Video Game)</a> (1)")
