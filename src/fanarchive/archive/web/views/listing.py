"""Every works listing page: all works, a tag's, an author's, search results."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.archive.listing.pages import SORT_LABELS, build_listing
from fanarchive.domain.tags import TAG_KINDS


def render_listing(
    request: HttpRequest,
    heading: str,
    *,
    include: tuple[int, ...] = (),
    work_ids: tuple[int, ...] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    listing = build_listing(request, include=include, work_ids=work_ids)
    context = {
        "heading": heading,
        "listing": listing,
        "sorts": SORT_LABELS.items(),
        "kinds": TAG_KINDS,
        **(extra or {}),
    }
    return render(request, "archive/works_list.html", context)
