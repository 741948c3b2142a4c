"""Every feed against the schemas, and every feed's query count against the size of the archive."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import etree
from tests.feeds.conftest import Fetch, load_schema

from fanarchive.archive.models import Work

pytestmark = pytest.mark.django_db

MakeWork = Callable[..., Work]

FEEDS: list[tuple[str, str]] = [
    ("/opds/", "navigation"),
    ("/opds/recent", "acquisition"),
    ("/opds/recent?page=2", "acquisition"),
    ("/opds/fandoms", "navigation"),
    ("/opds/fandoms/Saltmarsh Chronicles", "acquisition"),
    ("/opds/tags", "navigation"),
    ("/opds/kinds/character", "navigation"),
    ("/opds/kinds/relationship", "navigation"),
    ("/opds/tags/Ada Renner*s*Mira Quell", "acquisition"),
    ("/opds/authors", "navigation"),
    ("/opds/authors/shared", "acquisition"),
    ("/opds/search?q=work", "acquisition"),
    ("/opds/opensearch.xml", "opensearch"),
    ("/tags/Saltmarsh Chronicles/feed.atom", "atom"),
    ("/tags/Ada Renner*s*Mira Quell/feed.atom", "atom"),
    ("/users/shared/feed.atom", "atom"),
]


def _archive(make_work: MakeWork, size: int) -> Work:
    first = make_work("Work 0", authors=("author0", "shared"))
    for n in range(1, size):
        make_work(
            f"Work {n}",
            authors=(f"author{n}", "shared"),
            language="English",
            tags={
                "rating": ["General Audiences"],
                "fandom": ["Saltmarsh Chronicles", f"Fandom {n}"],
                "relationship": ["Ada Renner/Mira Quell"],
                "character": ["Ada Renner", f"Character {n}"],
                "freeform": [f"Freeform {n}"],
            },
        )
    return first


@pytest.mark.parametrize(("path", "kind"), FEEDS)
def test_every_feed_validates(fetch: Fetch, make_work: MakeWork, path: str, kind: str) -> None:
    _archive(make_work, 30)
    fetch(path, kind)


def test_work_feed_validates(fetch: Fetch, make_work: MakeWork) -> None:
    work = make_work(chapters=5)
    fetch(f"/works/{work.pk}/feed.atom", "atom")


EMPTY_ARCHIVE_FEEDS = [
    ("/opds/", "navigation"),
    ("/opds/recent", "acquisition"),
    ("/opds/fandoms", "navigation"),
    ("/opds/tags", "navigation"),
    ("/opds/kinds/fandom", "navigation"),
    ("/opds/authors", "navigation"),
    ("/opds/search?q=anything", "acquisition"),
    ("/opds/opensearch.xml", "opensearch"),
]


@pytest.mark.parametrize(("path", "kind"), EMPTY_ARCHIVE_FEEDS)
def test_empty_archive_feeds_validate(fetch: Fetch, db: None, path: str, kind: str) -> None:
    fetch(path, kind)


@pytest.mark.parametrize("path", [path for path, _ in FEEDS if "?page=2" not in path])
def test_query_count_does_not_grow_with_the_page(client: Client, make_work: MakeWork, path: str) -> None:
    from fanarchive.archive.indexing.service import searcher

    _archive(make_work, 2)
    searcher()  # index now, so that only the feed's own queries are counted
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    for n in range(2, 30):
        make_work(
            f"More {n}",
            authors=(f"author{n}", "shared"),
            tags={
                "fandom": ["Saltmarsh Chronicles", f"Fandom {n}"],
                "relationship": ["Ada Renner/Mira Quell"],
            },
        )
    searcher()
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    # 9: the user, the ids, the outbox look (tests index as they go), the works, creators, tags,
    # counters, chapter counts and the series line of each entry; none of them grows with the page.
    assert len(many) == len(few) <= 9, "\n".join(query["sql"][:150] for query in many.captured_queries)


def test_work_feed_query_count_does_not_grow_with_chapters(client: Client, make_work: MakeWork) -> None:
    short, long = make_work("Short", chapters=1), make_work("Long", chapters=40)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/works/{short.pk}/feed.atom")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/works/{long.pk}/feed.atom")
    assert len(many) == len(few) <= 8


def test_the_schemas_catch_mistakes() -> None:
    """The validators are only worth having if they fail: a few known-bad documents."""
    atom, opds = load_schema("atom.rng"), load_schema("opds.rng")
    good = b"""<feed xmlns="http://www.w3.org/2005/Atom"><id>http://x/f</id><title>t</title>
      <updated>2024-01-01T00:00:00Z</updated><author><name>a</name></author>
      <entry><id>http://x/e</id><title>e</title><updated>2024-01-01T00:00:00Z</updated>
      <summary type="text">s</summary><link rel="alternate" href="http://x/e"/></entry></feed>"""
    assert atom.validate(etree.fromstring(good)) and opds.validate(etree.fromstring(good))
    no_id = good.replace(b"<id>http://x/f</id>", b"")
    assert not atom.validate(etree.fromstring(no_id))
    bad_date = good.replace(b"2024-01-01T00:00:00Z</updated><author>", b"2024-01-01</updated><author>")
    assert not atom.validate(etree.fromstring(bad_date))
    html_summary = good.replace(b'type="text"', b'type="html"')
    assert atom.validate(etree.fromstring(html_summary))
    assert not opds.validate(etree.fromstring(html_summary))
    spaced = good.replace(b'href="http://x/e"', b'href="http://x/e f"')
    assert not opds.validate(etree.fromstring(spaced))
    buy = good.replace(b'rel="alternate"', b'rel="http://opds-spec.org/acquisition/buy"')
    assert not opds.validate(etree.fromstring(buy))
