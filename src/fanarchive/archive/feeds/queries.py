"""What each feed lists. Works come from the listing service (the viewer's visibility applied
there), as the web listings' do; tags and authors from access.py's lists."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from django.core.exceptions import BadRequest
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Max, Model, QuerySet

from fanarchive.archive.access import Viewer, access_tag, authors_with_works, tags_with_works, visible_works
from fanarchive.archive.listing.service import author_work_ids, list_works
from fanarchive.archive.models import Tag, User
from fanarchive.archive.web.blurbs import Blurb
from fanarchive.domain.query import SearchQuery, Sort, whole_number

PAGE_SIZE = 25
__all__ = ["authors_with_works", "tags_with_works"]  # the navigation feeds' lists, from access.py

T = TypeVar("T")
M = TypeVar("M", bound=Model)


@dataclass
class FeedPage(Generic[T]):
    items: list[T]
    number: int
    last: int
    total: int
    per_page: int

    @property
    def start_index(self) -> int:
        # OpenSearch counts from 1; an empty feed still starts at 1.
        return (self.number - 1) * self.per_page + 1


def paginate(rows: QuerySet[M], page: str | None, per_page: int = PAGE_SIZE) -> FeedPage[M]:
    """Two queries (count, page) whatever the page size. A page that is not there, or not a
    number, is a 400 (Bad Request) rather than a silent first or last page, so a crawler following
    stale links stops."""
    number = _page_number(page)
    paginator = Paginator(rows, per_page)
    try:
        current = paginator.page(number)
    except InvalidPage as error:
        raise BadRequest("No such page") from error
    return FeedPage(
        items=list(current.object_list),
        number=current.number,
        last=paginator.num_pages,
        total=paginator.count,
        per_page=per_page,
    )


def _page_number(page: str | None) -> int:
    number = 1 if not page else whole_number(page)
    if number is None or number < 1:
        raise BadRequest("The page is not a whole number from 1")
    return number


def works_page(viewer: Viewer, query: SearchQuery | None, page: str | None) -> FeedPage[Blurb]:
    """A page of the works the listing service finds for `query` (None: none), in the order the
    web listing of the same query shows them. Past the last page is a 400, as for the other feeds."""
    number = _page_number(page)
    if query is None:
        blurbs, total = [], 0
    else:
        listed = list_works(viewer, query, page=number, per_page=PAGE_SIZE)
        blurbs, total = listed.blurbs, listed.total
    last = max(1, -(-total // PAGE_SIZE))
    if number > last:
        raise BadRequest("No such page")
    return FeedPage(items=blurbs, number=number, last=last, total=total, per_page=PAGE_SIZE)


# Feeds list the newest first, as the works listings do by default (and AO3's feeds).
NEWEST_FIRST = SearchQuery(sort=Sort.UPDATED, descending=True)


def works_under(tag: Tag) -> SearchQuery:
    """`tag` must be a filter tag (see filter_tag): works are filed under those only."""
    return dataclasses.replace(NEWEST_FIRST, include_tag_ids=(tag.pk,))


def works_by(viewer: Viewer, user: User) -> SearchQuery:
    return dataclasses.replace(NEWEST_FIRST, work_ids=author_work_ids(viewer, user))


def search_works(terms: str) -> SearchQuery | None:
    """The catalogue's search: the search box's language and order (best match first), as
    /works?q= answers it. No words is no search (None), not every work."""
    return SearchQuery(text=terms) if terms.strip() else None


def latest_update(viewer: Viewer) -> date | None:
    latest: date | None = visible_works(viewer).aggregate(latest=Max("updated"))["latest"]
    return latest


def filter_tag(viewer: Viewer, url_part: str) -> Tag:
    """The tag a URL names if the viewer may see it, resolved to the tag works are filed under: a
    synonym answers with its canonical tag, as the tag works page does."""
    tag = access_tag(viewer, url_part)
    return tag.merger or tag
