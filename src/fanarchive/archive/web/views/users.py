"""An author's profile (AO3's dashboard-style user page) and their works listing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.archive.access import (
    access_profile,
    crediting,
    listed_works,
    visible_bookmarks_by,
    visible_pseuds,
    visible_series_by,
    visible_works,
)
from fanarchive.archive.web.blurbs import build_blurbs
from fanarchive.archive.web.views.listing import render_listing

RECENT = 5  # works and series the profile shows; the rest are a link away


def user_page(request: HttpRequest, username: str) -> HttpResponse:
    user = access_profile(request.user, username)
    # Like the works listing a link away, the recent works and their count leave out what the
    # reader's saved exclusions leave out.
    works = listed_works(request.user).filter(crediting(pseud__user=user))
    series = visible_series_by(request.user, user).order_by("-created_at", "-id")
    return render(
        request,
        "archive/user.html",
        {
            "author": user,
            "owner": request.user.is_authenticated and request.user.pk == user.pk,
            "pseuds": visible_pseuds(request.user, user).order_by("-is_default", "name"),
            "work_count": works.count(),
            "series_count": series.count(),
            "bookmark_count": visible_bookmarks_by(request.user, user).count(),
            "blurbs": build_blurbs(list(works.order_by("-updated", "-id")[:RECENT])),
            "series": series[:RECENT],
        },
    )


def user_works(request: HttpRequest, username: str) -> HttpResponse:
    user = access_profile(request.user, username)
    work_ids = tuple(
        visible_works(request.user).filter(crediting(pseud__user=user)).values_list("pk", flat=True)
    )
    return render_listing(request, f"Works by {user.username}", work_ids=work_ids, extra={"author": user})
