"""Every number a URL carries (path ids, page, include, exclude, word ranges, dates, limits) answers
an empty page, a 400 or a 404 when it is out of range or not a number: never a 500. Seen before: a
huge `include` overflowed SQLite's integer and a huge `page` asked the engine to skip 10^30 works."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.models import Work

pytestmark = pytest.mark.django_db

BAD_NUMBERS = [
    "9" * 30,
    "9" * 5000,  # past Python's int() digit limit
    str(2**31),
    str(2**63),
    str(2**64),
    "-1",
    "0",
    "1e9",
    "1.5",
    "²",  # str.isdigit() says yes, int() says no
    "١٢",  # Arabic-Indic digits: int() reads them, URLs should not
    "abc",
    "",
    "%00",
]
BAD_DATES = ["99999-01-01", "0000-00-00", "2024-13-45", "9" * 5000, "-1"]
LISTING_NUMBERS = ["page", "per_page", "include", "exclude", "any", "words_from", "words_to"]
LISTING_DATES = ["updated_from", "updated_to", "published_from", "published_to"]


@pytest.fixture
def listed(make_work: Callable[..., Work]) -> Work:
    return make_work("Counted Harbour", authors=("counter",), tags={"fandom": ["Saltmarsh Chronicles"]})


@pytest.mark.parametrize("listing", ["/works", "/tags/Saltmarsh Chronicles/works", "/users/counter/works"])
def test_listing_parameters_never_500(backend: str, client: Client, listed: Work, listing: str) -> None:
    for name in LISTING_NUMBERS:
        for value in BAD_NUMBERS:
            response = client.get(listing, {name: value, "q": "harbour" if name == "page" else ""})
            assert response.status_code in (200, 400), (listing, name, value[:40], response.status_code)
    for name in LISTING_DATES:
        for value in BAD_DATES:
            response = client.get(listing, {name: value})
            assert response.status_code in (200, 400), (listing, name, value[:40], response.status_code)


def test_huge_page_is_an_empty_page_with_the_count(backend: str, client: Client, listed: Work) -> None:
    page = client.get("/works", {"page": str(10**6)}).content.decode()
    assert "Counted Harbour" not in page and "of 1 Work" in page
    assert "Counted Harbour" in client.get("/works", {"page": "1"}).content.decode()


def test_huge_include_is_no_tag_and_names_nothing(backend: str, client: Client, listed: Work) -> None:
    response = client.get("/works", {"include": "9" * 30})
    assert response.status_code == 200
    assert "is not a tag id" in response.content.decode()


def test_path_ids_past_any_row_are_404(client: Client, listed: Work) -> None:
    for number in ("9" * 30, str(2**31), str(2**63), str(2**64)):
        for url in (
            f"/works/{number}",
            f"/works/{number}?view_full_work=true",
            f"/works/{listed.pk}/chapters/{number}",
            f"/works/{number}/chapters/1",
            f"/downloads/{number}/Work.epub",
            f"/series/{number}",
            f"/works/{number}/feed.atom",
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/works/{number}/kudos").status_code == 404


@pytest.mark.parametrize(
    "feed", ["/opds/recent", "/opds/fandoms", "/opds/authors", "/opds/kinds/fandom", "/opds/search?q=harbour"]
)
def test_feed_pages_out_of_range_are_400(client: Client, listed: Work, feed: str) -> None:
    joiner = "&" if "?" in feed else "?"
    assert client.get(f"{feed}{joiner}page=1").status_code == 200
    for value in BAD_NUMBERS:
        if value in ("",):
            continue
        response = client.get(f"{feed}{joiner}page={value}")
        assert response.status_code == 400, (feed, value[:40], response.status_code)


def test_autocomplete_limit_is_clamped(backend: str, client: Client, listed: Work) -> None:
    for value in BAD_NUMBERS:
        response = client.get("/autocomplete/tags", {"term": "salt", "limit": value})
        assert response.status_code == 200, value[:40]
        assert [t["name"] for t in response.json()["tags"]] == ["Saltmarsh Chronicles"]
