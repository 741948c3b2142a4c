"""One query, one answer: the web listing, its Atom feed, the OPDS catalogue and `fanarchive
search` list the same works in the same order, on every search backend."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.test import Client
from lxml import etree
from tests.feeds.conftest import NS

from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.listing.cli_search import search_from_cli
from fanarchive.archive.models import Work
from fanarchive.cli.main import build_parser

pytestmark = pytest.mark.django_db

MakeWork = Callable[..., Work]


@pytest.fixture
def shelf(make_work: MakeWork, backend: str) -> list[Work]:
    """Works whose dates, tags, authors and wording differ, so that each order is a real one."""
    made = []
    for n, (title, fandom, author) in enumerate(
        [
            ("Harbour Lights", "Saltmarsh Chronicles", "ann"),
            ("Storm at the Harbour", "Saltmarsh Chronicles", "bob"),
            ("Lighthouse Keeping", "Lighthouse Keepers (TV)", "ann"),
            ("The Harbour Harbour", "Saltmarsh Chronicles", "ann"),
            ("Inland", "Saltmarsh Chronicles", "bob"),
            ("Same Day Harbour", "Saltmarsh Chronicles", "ann"),
        ]
    ):
        work = make_work(title, authors=(author,), tags={"fandom": [fandom], "freeform": ["Boats"]})
        # Two works share a date: their order is the engines' tie-break (by id), the same everywhere.
        day = dt.date(2024, 1, 1) + dt.timedelta(days=min(n, 4) * 7 + (n * 13) % 5)
        Work.objects.filter(pk=work.pk).update(updated=day)
        made.append(work)
    enqueue_reindex([work.pk for work in made])  # the dates above bypass the actions
    return made


def _page_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<h3 class="heading"><a href="/works/(\d+)">', html)]


def _feed_ids(client: Client, path: str) -> list[int]:
    response = client.get(path)
    assert response.status_code == 200, path
    ids = etree.fromstring(response.content).xpath("a:entry/a:id/text()", namespaces=NS)
    return [int(str(i).rsplit("/", 1)[1]) for i in ids]


def _cli_ids(*argv: str) -> list[int]:
    args = build_parser().parse_args(["search", *argv])
    return [hit["id"] for hit in search_from_cli(args)["works"]]


@pytest.mark.parametrize(
    "text", ["harbour", "harbour -storm", "title:(harbour OR lighthouse)", '"counted the gulls"']
)
def test_a_search_answers_alike_on_the_page_in_opds_and_on_the_command_line(
    client: Client, shelf: list[Work], text: str
) -> None:
    page = _page_ids(client.get(f"/works?q={quote(text)}").content.decode())
    assert page, "the query finds works"
    assert _feed_ids(client, f"/opds/search?q={quote(text)}") == page
    assert _cli_ids(text) == page


def test_a_tag_lists_alike_on_its_page_its_feeds_and_the_command_line(
    client: Client, shelf: list[Work]
) -> None:
    page = _page_ids(client.get("/tags/Saltmarsh Chronicles/works").content.decode())
    assert len(page) == 5
    # Newest first, ties by id: the engines' order, not the database's.
    expected = sorted(
        (w for w in Work.objects.filter(pk__in=page)), key=lambda w: (w.updated, w.pk), reverse=True
    )
    assert page == [w.pk for w in expected]
    assert _feed_ids(client, "/tags/Saltmarsh Chronicles/feed.atom") == page
    assert _feed_ids(client, "/opds/tags/Saltmarsh Chronicles") == page
    assert _feed_ids(client, "/opds/fandoms/Saltmarsh Chronicles") == page
    assert _cli_ids("--tag", "Saltmarsh Chronicles", "--sort", "updated") == page


def test_an_author_lists_alike_on_their_page_and_feeds(client: Client, shelf: list[Work]) -> None:
    page = _page_ids(client.get("/users/ann/works").content.decode())
    assert len(page) == 4
    assert _feed_ids(client, "/users/ann/feed.atom") == page
    assert _feed_ids(client, "/opds/authors/ann") == page


def test_recent_works_list_alike_on_the_pages_in_opds_and_on_the_command_line(
    client: Client, shelf: list[Work]
) -> None:
    page = _page_ids(client.get("/works").content.decode())
    assert len(page) == 6
    assert _feed_ids(client, "/opds/recent") == page
    assert _page_ids(client.get("/").content.decode()) == page  # the home page's recent works
    assert _cli_ids("--sort", "updated") == page
