"""Reading works: the listing (every filter and sort of /works, facets, search snippets) and one
work with its chapters."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from ninja import Field, Query, Router, Schema

from fanarchive.archive.access import Viewer, access_profile, access_tag
from fanarchive.archive.api.auth import PUBLIC_READ, viewer
from fanarchive.archive.api.errors import ERRORS
from fanarchive.archive.api.etags import etagged
from fanarchive.archive.api.pagination import Cursor, decode_cursor, encode_cursor, unseen
from fanarchive.archive.api.schemas.works import Facet, SearchSnippet, WorkList, WorkListItem, WorkSummary
from fanarchive.archive.listing.pages import build_listing
from fanarchive.archive.listing.service import author_work_ids
from fanarchive.domain.query import MAX_PER_PAGE, Sort

router = Router(tags=["works"])


class WorkFilters(Schema):
    """The parameters of the /works page (fanarchive.domain.query documents each); the listing's
    own parser reads them, so the API and the page answer alike."""

    q: str | None = Field(None, description="Search text (words, phrases, OR, -word, field:word)")
    include: list[int] = Field(default_factory=list, description="Tag ids a work must all have")
    exclude: list[int] = Field(default_factory=list, description="Tag ids a work must have none of")
    any: list[str] = Field(default_factory=list, description="Comma-separated tag ids, one must match")
    with_: list[str] = Field(default_factory=list, alias="with", description="Tag names a work must have")
    without: list[str] = Field(default_factory=list, description="Tag names a work must not have")
    complete: bool | None = None
    crossover: bool | None = None
    words_from: int | None = Field(None, ge=0)
    words_to: int | None = Field(None, ge=0)
    updated_from: dt.date | None = None
    updated_to: dt.date | None = None
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    language: str | None = None
    sort: Sort | None = None
    order: Literal["asc", "desc"] | None = None
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)
    cursor: str | None = Field(
        None, description="From a previous page's next_cursor; other filters are then ignored"
    )


# The parameters passed on to the listing's parser (`cursor` and `page` are the API's own business).
LISTING_PARAMS = frozenset(WorkFilters.model_json_schema(by_alias=True)["properties"]) - {"cursor"}


def _start(request: HttpRequest, cursor: str | None) -> Cursor:
    if cursor:
        return decode_cursor(cursor)
    params = [
        (name, value) for name in request.GET if name in LISTING_PARAMS for value in request.GET.getlist(name)
    ]
    return Cursor(params, page=1, sent=())


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/works",
    response={200: WorkList, 304: None, **ERRORS},
    summary="List and search works",
)
def list_works(request: HttpRequest, filters: Query[WorkFilters]) -> HttpResponse:
    """The works the caller may see, filtered and sorted as on /works. Facets (tag counts by kind)
    and search snippets come with each page; pages go by `next_cursor`."""
    return listing_answer(request, viewer(request), filters.cursor)


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/users/{username}/works",
    response={200: WorkList, 304: None, **ERRORS},
    summary="A user's works, with the filters of /works",
)
def list_user_works(request: HttpRequest, username: str, filters: Query[WorkFilters]) -> HttpResponse:
    who = viewer(request)
    user = access_profile(who, username)
    return listing_answer(request, who, filters.cursor, work_ids=author_work_ids(who, user))


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/tags/{name}/works",
    response={200: WorkList, 304: None, **ERRORS},
    summary="A tag's works (a synonym's: its canonical tag's), with the filters of /works",
)
def list_tag_works(request: HttpRequest, name: str, filters: Query[WorkFilters]) -> HttpResponse:
    who = viewer(request)
    tag = access_tag(who, name)
    return listing_answer(request, who, filters.cursor, include=((tag.merger or tag).pk,))


def listing_answer(
    request: HttpRequest,
    who: Viewer,
    cursor: str | None,
    *,
    include: tuple[int, ...] = (),
    work_ids: tuple[int, ...] | None = None,
) -> HttpResponse:
    """One page of a works listing, as its HTML page would list it (build_listing), as JSON."""
    start = _start(request, cursor)
    params = QueryDict(mutable=True)
    for name, value in start.params:
        params.appendlist(name, value)
    params["page"] = str(start.page)
    listing = build_listing(request, params=params, viewer=who, include=include, work_ids=work_ids)
    page = listing.result
    fetched = [b.work.pk for b in page.blurbs]
    fresh = set(unseen(fetched, start.sent))
    blurbs = [b for b in page.blurbs if b.work.pk in fresh]
    next_cursor = None
    if listing.query.page < listing.pages and page.blurbs:
        next_cursor = encode_cursor(Cursor(start.params, start.page + 1, tuple(fetched)))
    body = WorkList(
        total=page.total,
        items=[
            WorkListItem(
                **WorkSummary.of(b).model_dump(),
                snippet=SearchSnippet.of(page.snippets[b.work.pk]) if b.work.pk in page.snippets else None,
            )
            for b in blurbs
        ],
        next_cursor=next_cursor,
        next=request.build_absolute_uri(request.path + "?" + urlencode({"cursor": next_cursor}))
        if next_cursor
        else None,
        facets={group.kind.value: [Facet.of(f) for f in group.counts] for group in listing.facets},
        problems=[*listing.query.problems, *(f"no tag is named “{name}”" for name in listing.unknown_names)],
        message=page.message,
    )
    return etagged(request, body)
