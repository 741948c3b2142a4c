"""Users, pseuds and bookmarks: an author exists for the caller when a work the caller may see
credits them (a reader who never posts, when one of their bookmarks is visible)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from fanarchive.archive.access import (
    access_bookmarker,
    access_profile,
    access_pseud,
    crediting,
    listed_works,
    visible_bookmarks_by,
    visible_pseuds,
    visible_series_by,
)
from fanarchive.archive.api.auth import PUBLIC_READ, viewer
from fanarchive.archive.api.errors import ERRORS
from fanarchive.archive.api.etags import etagged
from fanarchive.archive.api.pagination import PER_PAGE, keyset_page
from fanarchive.archive.api.schemas.people import BookmarkOut, BookmarkPage, PseudOut, SeriesRefOut, UserOut
from fanarchive.archive.models import Pseud

router = Router(tags=["users and bookmarks"])


def _pseud(pseud: Pseud) -> PseudOut:
    return PseudOut(
        name=pseud.name,
        is_default=pseud.is_default,
        description_html=pseud.description,
        works=pseud.works,  # type: ignore[attr-defined]  # visible_pseuds annotates it
    )


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/users/{username}",
    response={200: UserOut, 304: None, **ERRORS},
    summary="A user's profile",
)
def get_user(request: HttpRequest, username: str) -> HttpResponse:
    who = viewer(request)
    user = access_profile(who, username)
    # Counted as the profile page counts: less what the caller's saved exclusions leave out.
    works = listed_works(who).filter(crediting(pseud__user=user))
    body = UserOut(
        username=user.username,
        pseuds=[_pseud(p) for p in visible_pseuds(who, user).order_by("-is_default", "name")],
        works=works.count(),
        series=[
            SeriesRefOut(id=s.pk, title=s.title)
            for s in visible_series_by(who, user).order_by("-created_at", "-id")
        ],
        bookmarks=visible_bookmarks_by(who, user).count(),
    )
    return etagged(request, body)


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/users/{username}/pseuds/{name}",
    response={200: PseudOut, 304: None, **ERRORS},
    summary="One of a user's pseuds",
)
def get_pseud(request: HttpRequest, username: str, name: str) -> HttpResponse:
    who = viewer(request)
    return etagged(request, _pseud(access_pseud(who, access_profile(who, username), name)))


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/users/{username}/bookmarks",
    response={200: BookmarkPage, 304: None, **ERRORS},
    summary="A user's bookmarks, newest first",
)
def get_bookmarks(
    request: HttpRequest, username: str, cursor: str | None = None, per_page: int = PER_PAGE
) -> HttpResponse:
    who = viewer(request)
    user = access_bookmarker(who, username)
    rows = visible_bookmarks_by(who, user).select_related("pseud__user", "external").prefetch_related("tags")
    found, next_cursor = keyset_page(rows, cursor, per_page)
    return etagged(request, BookmarkPage(items=[BookmarkOut.of(b) for b in found], next_cursor=next_cursor))
