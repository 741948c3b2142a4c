"""The shared shape of a works listing page until the search backend serves listings."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.archive.models import Work
from fanarchive.archive.web.blurbs import build_blurbs

PER_PAGE = 20


def render_listing(
    request: HttpRequest, works: QuerySet[Work], heading: str, extra: dict[str, Any] | None = None
) -> HttpResponse:
    paginator = Paginator(works.order_by("-updated", "-id"), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "heading": heading,
        "page": page,
        "blurbs": build_blurbs(list(page.object_list)),
        "total": paginator.count,
        **(extra or {}),
    }
    return render(request, "archive/works_list.html", context)
