"""What each feed lists. Every works query starts from visible_works, so drafts, restricted and
hidden works never reach a feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from django.core.exceptions import BadRequest
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Max, Model, Q, QuerySet

from fanarchive.archive.access import Viewer, access_tag, authors_with_works, tags_with_works, visible_works
from fanarchive.archive.models import Tag, User, Work
from fanarchive.domain.query import whole_number

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
    number = 1 if not page else whole_number(page)
    if number is None or number < 1:
        raise BadRequest("The page is not a whole number from 1")
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


def newest_first(works: QuerySet[Work]) -> QuerySet[Work]:
    return works.order_by("-updated", "-id")


def recent_works(viewer: Viewer) -> QuerySet[Work]:
    return newest_first(visible_works(viewer))


def works_under(viewer: Viewer, tag: Tag) -> QuerySet[Work]:
    """`tag` must be a filter tag (see filter_tag): FilterTagging rows point only at those."""
    return newest_first(visible_works(viewer).filter(filter_taggings__tag=tag))


def works_by(viewer: Viewer, user: User) -> QuerySet[Work]:
    return newest_first(visible_works(viewer).filter(creatorships__pseud__user=user).distinct())


def search_works(viewer: Viewer, terms: str) -> QuerySet[Work]:
    """The catalogue's search. A stand-in until the full-text engine answers it: swap this body."""
    terms = " ".join(terms.split())
    if not terms:
        return visible_works(viewer).none()
    return newest_first(visible_works(viewer).filter(Q(title__icontains=terms) | Q(summary__icontains=terms)))


def latest_update(viewer: Viewer) -> date | None:
    latest: date | None = visible_works(viewer).aggregate(latest=Max("updated"))["latest"]
    return latest


def filter_tag(viewer: Viewer, url_part: str) -> Tag:
    """The tag a URL names if the viewer may see it, resolved to the tag works are filed under: a
    synonym answers with its canonical tag, as the tag works page does."""
    tag = access_tag(viewer, url_part)
    return tag.merger or tag
