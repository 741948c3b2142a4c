"""list_works: the viewer's visibility, hydration that trusts the database over a lagging index,
pages past the end, and a query count that does not grow with the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanarchive.archive.indexing.service import searcher
from fanarchive.archive.listing.service import WorkPage, list_works
from fanarchive.archive.models import User, Work
from fanarchive.domain.query import MAX_OFFSET, SearchQuery, Sort

pytestmark = pytest.mark.django_db

MakeWork = Callable[..., Work]
BY_TITLE = SearchQuery(sort=Sort.TITLE)


def _titles(page: WorkPage) -> list[str]:
    return [work.title for work in page.works]


def test_each_viewer_gets_what_access_allows(make_work: MakeWork, django_user_model: type[User]) -> None:
    from fanarchive.archive.actions.outbox import enqueue_reindex

    make_work("Open")
    members, hidden = make_work("Members"), make_work("Hidden")
    Work.objects.filter(pk=members.pk).update(restricted=True)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    enqueue_reindex([members.pk, hidden.pk])
    reader = django_user_model.objects.create_user("reader", password="x" * 12)
    staff = django_user_model.objects.create_user("staff", password="x" * 12, is_staff=True)
    assert _titles(list_works(AnonymousUser(), BY_TITLE)) == ["Open"]
    assert _titles(list_works(reader, BY_TITLE)) == ["Members", "Open"]
    assert _titles(list_works(staff, BY_TITLE)) == ["Hidden", "Members", "Open"]
    assert list_works(AnonymousUser(), BY_TITLE).query.viewer_can_see_restricted is False
    assert list_works(staff, BY_TITLE).total == 3


def test_a_work_hidden_since_it_was_indexed_is_not_shown(make_work: MakeWork) -> None:
    make_work("Open")
    hidden = make_work("Hidden since")
    searcher()  # indexed while visible
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)  # and no reindex queued yet
    page = list_works(AnonymousUser(), SearchQuery(text="tide", sort=Sort.TITLE))
    assert _titles(page) == ["Open"]
    assert set(page.snippets) == {page.works[0].pk}  # no snippet of the hidden work either


def test_page_and_per_page_replace_the_querys_own(make_work: MakeWork) -> None:
    for n in range(5):
        make_work(f"Work {n}", chapters=1)
    page = list_works(AnonymousUser(), BY_TITLE, page=2, per_page=2)
    assert _titles(page) == ["Work 2", "Work 3"]
    assert (page.total, page.pages, page.query.page, page.query.per_page) == (5, 3, 2, 2)


def test_a_page_past_any_engine_still_counts(make_work: MakeWork) -> None:
    make_work("Only")
    page = list_works(AnonymousUser(), SearchQuery(per_page=1, page=MAX_OFFSET + 1, facets=True))
    assert page.works == [] and page.total == 1
    assert page.facets["fandom"][0].name == "Saltmarsh Chronicles"


def test_query_count_does_not_grow_with_works_tags_or_authors(make_work: MakeWork) -> None:
    make_work("First", chapters=1)
    searcher()
    with CaptureQueriesContext(connection) as few:
        assert len(list_works(AnonymousUser(), SearchQuery(facets=True)).blurbs) == 1
    for n in range(25):
        make_work(
            f"More {n}",
            authors=(f"author{n}", f"other{n}"),
            chapters=2,
            tags={"fandom": [f"Fandom {n}"], "character": [f"Someone {n}", f"Another {n}"]},
        )
    searcher()
    with CaptureQueriesContext(connection) as many:
        assert len(list_works(AnonymousUser(), SearchQuery(facets=True)).blurbs) == 20
    assert len(many) == len(few) <= 7, [q["sql"] for q in many.captured_queries]
