from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.archive.access import access_series, seen_q, visibility
from fanarchive.archive.models import SerialWork
from fanarchive.archive.web.blurbs import build_blurbs


def series_page(request: HttpRequest, series_id: int) -> HttpResponse:
    # A series whose works are all hidden from this reader does not exist for them.
    series = access_series(request.user, series_id)
    serials = list(
        SerialWork.objects.filter(seen_q(visibility(request.user), "work__"), series=series)
        .select_related("work")
        .order_by("position", "id")
    )
    blurbs = build_blurbs([serial.work for serial in serials])
    return render(
        request,
        "archive/series.html",
        {"series": series, "entries": list(zip([s.position for s in serials], blurbs, strict=True))},
    )
