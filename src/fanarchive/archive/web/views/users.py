from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.archive.access import access_user, crediting, visible_works
from fanarchive.archive.web.views.listing import render_listing


def user_page(request: HttpRequest, username: str) -> HttpResponse:
    user = access_user(request.user, username)
    works = visible_works(request.user).filter(crediting(pseud__user=user))
    return render(
        request,
        "archive/user.html",
        {"author": user, "pseuds": user.pseuds.all(), "work_count": works.count()},
    )


def user_works(request: HttpRequest, username: str) -> HttpResponse:
    user = access_user(request.user, username)
    work_ids = tuple(
        visible_works(request.user).filter(crediting(pseud__user=user)).values_list("pk", flat=True)
    )
    return render_listing(request, f"Works by {user.username}", work_ids=work_ids, extra={"author": user})
