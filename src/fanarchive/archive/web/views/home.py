from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.archive.access import visible_works
from fanarchive.archive.web.blurbs import build_blurbs, fandom_counts

RECENT = 10


def home(request: HttpRequest) -> HttpResponse:
    visible = visible_works(request.user)
    recent = list(visible.order_by("-updated", "-id")[:RECENT])
    return render(
        request,
        "archive/home.html",
        {
            "blurbs": build_blurbs(recent),
            "fandoms": fandom_counts(request.user, limit=20),
            "work_total": visible.count(),
        },
    )
