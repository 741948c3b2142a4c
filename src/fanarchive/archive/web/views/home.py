from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.archive.listing.service import list_works
from fanarchive.archive.web.blurbs import fandom_counts
from fanarchive.domain.query import SearchQuery, Sort

RECENT = 10


def home(request: HttpRequest) -> HttpResponse:
    # The newest works as /works lists them, from the same listing service.
    recent = list_works(request.user, SearchQuery(sort=Sort.UPDATED), per_page=RECENT)
    return render(
        request,
        "archive/home.html",
        {
            "blurbs": recent.blurbs,
            "fandoms": fandom_counts(request.user, limit=20),
            "work_total": recent.total,
        },
    )
