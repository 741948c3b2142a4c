from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.archive.access import visible_works
from fanarchive.archive.models import SerialWork, Series
from fanarchive.archive.web.blurbs import build_blurbs


def series_page(request: HttpRequest, series_id: int) -> HttpResponse:
    series = Series.objects.filter(pk=series_id).first()
    visible = visible_works(request.user)
    serials = list(
        SerialWork.objects.filter(series_id=series_id, work__in=visible.values("pk"))
        .select_related("work")
        .order_by("position", "id")
    )
    # A series whose works are all hidden from this reader does not exist for them.
    if series is None or not serials:
        raise Http404("No such series")
    blurbs = build_blurbs([serial.work for serial in serials])
    return render(
        request,
        "archive/series.html",
        {"series": series, "entries": list(zip([s.position for s in serials], blurbs, strict=True))},
    )
