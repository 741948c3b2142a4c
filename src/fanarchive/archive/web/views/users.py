from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from fanarchive.archive.access import visible_works
from fanarchive.archive.models import User
from fanarchive.archive.web.views.listing import render_listing


def user_page(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(User, username=username)
    works = visible_works(request.user).filter(creatorships__pseud__user=user).distinct()
    return render(
        request,
        "archive/user.html",
        {"author": user, "pseuds": user.pseuds.all(), "work_count": works.count()},
    )


def user_works(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(User, username=username)
    work_ids = tuple(
        visible_works(request.user)
        .filter(creatorships__pseud__user=user)
        .values_list("pk", flat=True)
        .distinct()
    )
    return render_listing(request, f"Works by {user.username}", work_ids=work_ids, extra={"author": user})
