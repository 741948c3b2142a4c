"""Issue 14's listing fixes: every value of a repeated filter parameter, excluded tags kept in the
sidebar, the "Filters" link, heading levels, and the series line, counts and series navigation."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.models import StatCounter, Tag, Work
from fanarchive.domain.work import SeriesRef

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="heading"><a href="/works/\d+">([^<]+)</a>', html)


def _tags(fandom: str, *extra: str) -> dict[str, list[str]]:
    return {"rating": ["General Audiences"], "fandom": [fandom], "freeform": list(extra)}


@pytest.fixture
def shelf(make_work: Callable[..., Work]) -> None:
    make_work("Alpha", tags=_tags("Saltmarsh Chronicles", "Fluff"))
    make_work("Bravo", tags=_tags("Saltmarsh Chronicles", "Angst"))
    make_work("Charlie", tags=_tags("Saltmarsh Chronicles", "Fluff", "Angst"))
    make_work("Delta", tags=_tags("Lighthouse Keepers (TV)", "Hurt/Comfort"))


def _id(name: str) -> int:
    return Tag.objects.get(name=name).pk


def test_every_value_of_a_repeated_parameter_filters(client: Client, shelf: None) -> None:
    fluff, angst = _id("Fluff"), _id("Angst")
    assert sorted(_titles(client.get(f"/works?include={fluff}&include={angst}").content.decode())) == [
        "Charlie"
    ]
    # The order of the values does not matter: both are read, not the last one.
    assert _titles(client.get(f"/works?include={angst}&include={fluff}").content.decode()) == ["Charlie"]
    excluded = client.get(f"/works?exclude={fluff}&exclude={angst}").content.decode()
    assert _titles(excluded) == ["Delta"]


def test_an_excluded_tag_stays_in_the_sidebar_checked(client: Client, shelf: None) -> None:
    angst = _id("Angst")
    page = client.get(f"/works?exclude={angst}").content.decode()
    form = page.split('id="filters"')[1]
    assert f'<input type="checkbox" id="exclude_{angst}" name="exclude" value="{angst}" checked>' in form
    assert f'<label for="exclude_{angst}">Exclude Angst</label>' in form
    assert f'type="hidden" name="exclude" value="{angst}"' not in form
    # An id nobody may see is kept as sent, never named.
    hidden = client.get("/works?exclude=999999").content.decode()
    assert 'type="hidden" name="exclude" value="999999"' in hidden and "Excluded tags" not in hidden


def test_a_filters_link_at_the_top_jumps_to_the_form(client: Client, shelf: None) -> None:
    page = client.get("/works").content.decode()
    assert page.index('<a href="#filters">Filters</a>') < page.index('class="work index group"')
    assert '<form class="filters" id="filters"' in page


@pytest.mark.parametrize("url", ["/works", "/", "/series/{series}"])
def test_headings_never_skip_a_level(client: Client, make_work: Callable[..., Work], url: str) -> None:
    work = make_work("Alpha", series=[SeriesRef(title="Lamps", position=1)])
    series = work.serial_works.get().series_id
    page = client.get(url.format(series=series)).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", page)]
    assert 3 in levels
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def test_blurbs_show_the_series_and_the_counts(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Second Light", series=[SeriesRef(title="Lamps", position=2)])
    StatCounter.objects.filter(work=work).update(comments=7, bookmarks=3)
    series = work.serial_works.get().series_id
    page = client.get("/works").content.decode()
    assert f'Part <strong>2</strong> of <a href="/series/{series}">Lamps</a>' in page
    assert "<dt>Comments:</dt><dd>7</dd>" in page
    assert f'<dt>Bookmarks:</dt><dd><a href="/works/{work.pk}/bookmarks">3</a></dd>' in page
    # The series' own page says which part each is once, in its heading.
    assert "Part <strong>2</strong>" not in client.get(f"/series/{series}").content.decode()


def test_previous_and_next_in_series_link_only_visible_works(
    client: Client, make_work: Callable[..., Work]
) -> None:
    first = make_work("First Light", series=[SeriesRef(title="Lamps", position=1)])
    second = make_work("Second Light", series=[SeriesRef(title="Lamps", position=2)])
    third = make_work("Third Light", series=[SeriesRef(title="Lamps", position=3)])
    fourth = make_work("Fourth Light", series=[SeriesRef(title="Lamps", position=4)])

    def page(work: Work) -> str:
        return client.get(f"/works/{work.pk}", follow=True).content.decode()

    middle = page(second)
    assert f'<a rel="prev" href="/works/{first.pk}"' in middle
    assert f'<a rel="next" href="/works/{third.pk}"' in middle
    assert 'rel="prev" href="/works/' not in page(first).split("Series:")[1].split("</dd>")[0]
    Work.objects.filter(pk=third.pk).update(posted=False)
    # The draft is skipped: next from the second part is the fourth, and its title is not named.
    middle = page(second)
    assert f'<a rel="next" href="/works/{fourth.pk}"' in middle and "Third Light" not in middle
    assert f'<a rel="prev" href="/works/{second.pk}"' in page(fourth)
