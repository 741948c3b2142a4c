from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from tests.feeds.conftest import NS, Fetch, path_of, texts

from fanarchive.archive.actions.tags import do_make_canonical, do_merge_tag, find_or_create_tag
from fanarchive.archive.models import Chapter, Tag, Work
from fanarchive.domain.tags import TagKind

pytestmark = pytest.mark.django_db

MakeWork = Callable[..., Work]


def test_tag_feed_lists_works_under_the_tag(fetch: Fetch, make_work: MakeWork) -> None:
    make_work(
        "Salt", authors=("Ferris Lane",), tags={"fandom": ["Saltmarsh Chronicles"], "freeform": ["Fluff"]}
    )
    make_work("Light", tags={"fandom": ["Lighthouse Keepers (TV)"]})
    feed = fetch("/tags/Saltmarsh Chronicles/feed.atom", "atom")
    assert texts(feed, "a:title/text()") == ["fanarchive: works in Saltmarsh Chronicles"]
    assert [path_of(h) for h in texts(feed, "a:link[@rel='self']/@href")] == [
        "/tags/Saltmarsh%20Chronicles/feed.atom"
    ]
    assert [path_of(h) for h in texts(feed, "a:link[@rel='alternate']/@href")] == [
        "/tags/Saltmarsh%20Chronicles/works"
    ]
    assert texts(feed, "a:entry/a:title/text()") == ["Salt"]
    entry = feed.find("a:entry", namespaces=NS)
    assert texts(entry, "a:author/a:name/text()") == ["Ferris Lane"]
    assert texts(entry, "a:category[@term='Fluff']/@scheme")[0].endswith("/freeform")
    # Stored summary HTML travels escaped inside an html summary.
    assert texts(entry, "a:summary[@type='html']/text()") == [
        "<p>Boats, weather, and a lighthouse that keeps its own counsel.</p>"
    ]
    content = texts(entry, "a:content[@type='html']/text()")[0]
    assert 'by <a href="http://testserver/users/Ferris_Lane">Ferris Lane</a>' in content
    assert "<li>Fandoms: Saltmarsh Chronicles</li>" in content


def test_synonym_feeds_show_the_canonical_tags_works(fetch: Fetch, make_work: MakeWork) -> None:
    make_work("Old spelling", tags={"freeform": ["slowburn"]})
    make_work("New spelling", tags={"freeform": ["Slow Burn"]})
    canonical = Tag.objects.get(name="Slow Burn")
    do_make_canonical(canonical)
    do_merge_tag(Tag.objects.get(name="slowburn"), canonical)
    for path in ("/tags/slowburn/feed.atom", "/tags/Slow Burn/feed.atom"):
        feed = fetch(path, "atom")
        assert sorted(texts(feed, "a:entry/a:title/text()")) == ["New spelling", "Old spelling"], path
        assert [path_of(h) for h in texts(feed, "a:id/text()")] == ["/tags/Slow%20Burn/feed.atom"]
    opds = fetch("/opds/tags/slowburn", "acquisition")
    assert sorted(texts(opds, "a:entry/a:title/text()")) == ["New spelling", "Old spelling"]
    assert texts(opds, "a:title/text()") == ["Slow Burn"]


def test_meta_tag_feed_includes_sub_tag_works(fetch: Fetch, make_work: MakeWork) -> None:
    from fanarchive.archive.actions.tags import do_add_meta_tag

    make_work("Book two", tags={"fandom": ["Saltmarsh Chronicles - Book 2"]})
    meta = find_or_create_tag("Saltmarsh Universe", TagKind.FANDOM)
    sub = Tag.objects.get(name="Saltmarsh Chronicles - Book 2")
    do_make_canonical(meta)
    do_make_canonical(sub)
    do_add_meta_tag(meta, sub)
    assert texts(fetch("/tags/Saltmarsh Universe/feed.atom", "atom"), "a:entry/a:title/text()") == [
        "Book two"
    ]


def test_author_feed(fetch: Fetch, client: Client, make_work: MakeWork) -> None:
    make_work("Mine", authors=("Ferris Lane",))
    make_work("Theirs")
    Work.objects.filter(pk=make_work("Secret", authors=("Ferris Lane",)).pk).update(restricted=True)
    feed = fetch("/users/Ferris_Lane/feed.atom", "atom")
    assert texts(feed, "a:entry/a:title/text()") == ["Mine"]
    assert [path_of(h) for h in texts(feed, "a:link[@rel='alternate']/@href")] == ["/users/Ferris_Lane/works"]


def test_work_feed_lists_posted_chapters_newest_first(
    fetch: Fetch, client: Client, make_work: MakeWork
) -> None:
    work = make_work("Serial", chapters=4)
    Chapter.objects.filter(work=work, position=2).update(published="2024-03-10")
    Chapter.objects.filter(work=work, position=4).update(posted=False)
    feed = fetch(f"/works/{work.pk}/feed.atom", "atom")
    assert texts(feed, "a:entry/a:title/text()") == [
        "Serial: Chapter 3: Tide 3",
        "Serial: Chapter 2: Tide 2",
        "Serial: Chapter 1: Tide 1",
    ]
    assert [path_of(h) for h in texts(feed, "a:entry/a:link[@rel='alternate']/@href")] == [
        f"/works/{work.pk}/chapters/{n}" for n in (3, 2, 1)
    ]
    assert texts(feed, "a:entry/a:updated/text()") == [
        "2024-04-02T00:00:00Z",
        "2024-03-10T00:00:00Z",
        "2024-03-01T00:00:00Z",
    ]
    assert texts(feed, "a:author/a:name/text()") == ["quietharbour"]
    Work.objects.filter(pk=work.pk).update(restricted=True)
    assert client.get(f"/works/{work.pk}/feed.atom").status_code == 404
    Work.objects.filter(pk=work.pk).update(restricted=False, posted=False)
    assert client.get(f"/works/{work.pk}/feed.atom").status_code == 404


def test_awkward_text_is_escaped_not_injected(fetch: Fetch, make_work: MakeWork) -> None:
    make_work('Fish & <Chips> "quoted"\x07', tags={"fandom": ["A & B <c>"]})
    feed = fetch("/tags/A & B <c>/feed.atom", "atom")
    assert texts(feed, "a:entry/a:title/text()") == ['Fish & <Chips> "quoted"']
    assert texts(feed, "a:title/text()") == ["fanarchive: works in A & B <c>"]
    opds = fetch("/opds/fandoms/A & B <c>", "acquisition")
    assert texts(opds, "a:entry/a:title/text()") == ['Fish & <Chips> "quoted"']
