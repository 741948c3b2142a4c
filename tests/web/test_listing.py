"""Works listings: filters in the URL, answered by the search backend."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.models import Tag, Work

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="heading"><a href="/works/\d+">([^<]+)</a>', html)


@pytest.fixture
def shelf(make_work: Callable[..., Work]) -> dict[str, Work]:
    def tags(fandom: str, *extra: str) -> dict[str, list[str]]:
        return {"rating": ["General Audiences"], "fandom": [fandom], "freeform": list(extra)}

    works = {
        "Alpha": make_work(
            "Alpha", tags=tags("Saltmarsh Chronicles", "Fluff"), stats={"kudos": 5, "hits": 10}
        ),
        "Bravo": make_work(
            "Bravo", tags=tags("Saltmarsh Chronicles", "Angst"), stats={"kudos": 50, "hits": 5}
        ),
        "Charlie": make_work(
            "Charlie", tags=tags("Saltmarsh Chronicles", "Fluff", "Angst"), stats={"kudos": 20}
        ),
        "Delta": make_work("Delta", tags=tags("Lighthouse Keepers (TV)", "Fluff"), stats={"kudos": 99}),
    }
    Work.objects.filter(pk=works["Charlie"].pk).update(complete=False)
    return works


def test_include_exclude_complete_and_sort_by_kudos(client: Client, shelf: dict[str, Work]) -> None:
    salt = Tag.objects.get(name="Saltmarsh Chronicles").pk
    angst = Tag.objects.get(name="Angst").pk
    url = f"/works?include={salt}&exclude={angst}&sort=kudos"
    assert _titles(client.get(url).content.decode()) == ["Alpha"]
    assert _titles(client.get(f"/works?include={salt}&sort=kudos").content.decode()) == [
        "Bravo",
        "Charlie",
        "Alpha",
    ]
    assert _titles(client.get(f"/works?include={salt}&sort=kudos&complete=1").content.decode()) == [
        "Bravo",
        "Alpha",
    ]
    assert _titles(client.get("/works?sort=title&order=asc").content.decode()) == [
        "Alpha",
        "Bravo",
        "Charlie",
        "Delta",
    ]


def test_facets_offer_include_and_exclude_checkboxes(client: Client, shelf: dict[str, Work]) -> None:
    fluff = Tag.objects.get(name="Fluff").pk
    page = client.get("/tags/Saltmarsh Chronicles/works").content.decode()
    assert _titles(page) != [] and "Delta" not in _titles(page)
    assert f'id="include_{fluff}" name="include" value="{fluff}"' in page
    assert re.search(r'<label for="include_\d+">Fluff \(2\)</label>', page)
    assert re.search(r'<label for="include_\d+">Angst \(2\)</label>', page)
    assert "1 – 3 of 3 Works" in page


def test_typed_tag_names_and_synonyms_filter(client: Client, shelf: dict[str, Work]) -> None:
    page = client.get(
        "/works?with=fluff&without=Lighthouse Keepers (TV)&sort=title&order=asc"
    ).content.decode()
    assert _titles(page) == ["Alpha", "Charlie"]
    unknown = client.get("/works?with=No Such Tag").content.decode()
    assert "No tag is named “No Such Tag”." in unknown


def test_search_box_finds_chapter_text_and_links_to_the_chapter(
    client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Plain Title", chapters=3)
    page = client.get('/works?q="for the 3 time"').content.decode()
    assert _titles(page) == ["Plain Title"]
    assert f'href="/works/{work.pk}/chapters/3">Read in chapter 3</a>' in page
    assert "<mark>" in page
    broken = client.get('/works?q="unclosed').content.decode()
    assert 'class="notice"' in broken


def test_pagination_keeps_the_filters(client: Client, make_work: Callable[..., Work]) -> None:
    for n in range(25):
        make_work(f"Numbered {n:02d}", chapters=1)
    first = client.get("/works?sort=title&order=asc&complete=1").content.decode()
    assert "1 – 20 of 25 Works" in first
    assert 'href="?complete=1&amp;sort=title&amp;order=asc&amp;page=2"' in first
    second = client.get("/works?complete=1&sort=title&order=asc&page=2").content.decode()
    assert _titles(second) == [f"Numbered {n:02d}" for n in range(20, 25)]


def test_tag_autocomplete_answers_prefix_and_synonyms(client: Client, shelf: dict[str, Work]) -> None:
    from fanarchive.archive.actions.tags import do_make_canonical, do_merge_tag, find_or_create_tag
    from fanarchive.domain.tags import TagKind

    canonical = Tag.objects.get(name="Fluff")
    do_make_canonical(canonical)
    synonym = find_or_create_tag("Fluffy Fluff", TagKind.FREEFORM)
    do_merge_tag(synonym, canonical)
    from fanarchive.archive.models import SearchOutbox

    SearchOutbox.objects.create(work_id=shelf["Alpha"].pk)
    data = client.get("/autocomplete/tags?term=flu").json()["tags"]
    assert data[0]["name"] == "Fluff" and data[0]["canonical_id"] == canonical.pk
    marsh = client.get("/autocomplete/tags?term=chron&kind=fandom").json()["tags"]
    assert [t["name"] for t in marsh] == ["Saltmarsh Chronicles"]
    assert client.get("/autocomplete/tags?term=x&kind=bogus").status_code == 400


@pytest.mark.parametrize(
    "path", ["/works", "/works?q=tide", "/tags/Saltmarsh Chronicles/works", "/users/shared/works"]
)
def test_a_listings_query_count_does_not_grow_with_works_tags_or_authors(
    client: Client, make_work: Callable[..., Work], path: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fanarchive.archive.indexing.service import searcher

    def more(n: int) -> None:
        make_work(
            f"Work {n}",
            authors=(f"author{n}", "shared"),
            chapters=2,
            tags={
                "rating": ["General Audiences"],
                "fandom": ["Saltmarsh Chronicles", f"Fandom {n}"],
                "character": [f"Someone {n}", f"Another {n}"],
                "freeform": [f"Trope {n}"],
            },
        )

    more(0)
    searcher()  # index now, so that only the page's own queries are counted
    with CaptureQueriesContext(connection) as few:
        assert len(_titles(client.get(path).content.decode())) == 1
    for n in range(1, 26):
        more(n)
    searcher()
    with CaptureQueriesContext(connection) as many:
        assert len(_titles(client.get(path).content.decode())) == 20  # a full page
    assert len(many) == len(few) <= 10, [query["sql"] for query in many.captured_queries]
