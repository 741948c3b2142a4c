"""A tag's page says what its works page does, for each kind of tag: canonical, synonym, and
unwrangled (which files its works under itself, so they are listed and filterable)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.actions.tags import do_add_meta_tag, do_make_canonical, do_merge_tag
from fanarchive.archive.models import Tag, Work

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return sorted(re.findall(r'<h3 class="heading"><a href="/works/\d+">([^<]+)</a>', html))


def _about(html: str) -> str:
    found = re.search(r"<p>This tag belongs to the .*?</p>", html, re.S)
    assert found, html
    return found.group(0)


@pytest.fixture
def wrangled(make_work: Callable[..., Work]) -> dict[str, Tag]:
    def tagged(title: str, freeform: str) -> Work:
        return make_work(title, tags={"fandom": ["Saltmarsh Chronicles"], "freeform": [freeform]})

    tagged("Plain", "Fluff")
    tagged("Worded Otherwise", "Fluffy Fluff")
    tagged("Narrower", "Tooth-Rotting Fluff")
    tagged("Unsorted", "Boats at Dawn")
    tags = {name: Tag.objects.get(name=name) for name in ("Fluff", "Fluffy Fluff", "Tooth-Rotting Fluff")}
    do_make_canonical(tags["Fluff"])
    do_make_canonical(tags["Tooth-Rotting Fluff"])
    do_merge_tag(tags["Fluffy Fluff"], tags["Fluff"])
    do_add_meta_tag(tags["Fluff"], tags["Tooth-Rotting Fluff"])
    tags["Boats at Dawn"] = Tag.objects.get(name="Boats at Dawn")
    return tags


def test_a_canonical_tag_lists_its_synonyms_and_sub_tags_works(
    client: Client, wrangled: dict[str, Tag]
) -> None:
    about = _about(client.get("/tags/Fluff").content.decode())
    assert "It's a common tag. You can use it to filter works" in about
    assert "synonyms and sub tags" in about
    works = client.get("/tags/Fluff/works").content.decode()
    assert _titles(works) == ["Narrower", "Plain", "Worded Otherwise"]


def test_a_synonym_points_to_its_canonical_tag_whose_works_it_lists(
    client: Client, wrangled: dict[str, Tag]
) -> None:
    page = client.get("/tags/Fluffy Fluff").content.decode()
    about = _about(page)
    assert 'synonym of <a href="/tags/Fluff">Fluff</a>' in about
    assert "listed, and filtered on, under Fluff" in about
    assert '<a href="/tags/Fluffy%20Fluff/works">Works in Fluff</a>' in page
    works = client.get("/tags/Fluffy Fluff/works").content.decode()
    assert _titles(works) == ["Narrower", "Plain", "Worded Otherwise"]
    assert "<h1>Works in Fluff</h1>" in works


def test_an_unwrangled_tag_says_its_works_are_listed_and_they_are(
    client: Client, wrangled: dict[str, Tag]
) -> None:
    tag = wrangled["Boats at Dawn"]
    assert not tag.canonical and tag.merger_id is None
    about = _about(client.get("/tags/Boats at Dawn").content.decode())
    assert "can't be filtered" not in about
    assert "not been marked common by a tag wrangler yet" in about
    assert "Its works are listed under it all the same, and you can filter works on it" in about
    # What the page promises, the works page and the filters do.
    assert _titles(client.get("/tags/Boats at Dawn/works").content.decode()) == ["Unsorted"]
    assert _titles(client.get(f"/works?include={tag.pk}").content.decode()) == ["Unsorted"]
    assert _titles(client.get("/works?with=boats at dawn").content.decode()) == ["Unsorted"]
    assert _titles(client.get(f"/works?exclude={tag.pk}").content.decode()) == [
        "Narrower",
        "Plain",
        "Worded Otherwise",
    ]
