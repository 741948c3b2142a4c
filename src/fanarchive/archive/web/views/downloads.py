"""Downloads: /downloads/<id>/<Title>.<ext>, as on AO3."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from fanarchive.archive.access import access_work

_UNSAFE = re.compile(r"[^\w\-]+")


def download_filename(title: str, extension: str) -> str:
    stem = _UNSAFE.sub("_", title).strip("_")[:60] or "work"
    return f"{stem}.{extension}"


def download_url(work_id: int, title: str, extension: str) -> str:
    return reverse("download", args=[work_id, download_filename(title, extension)])


def download(request: HttpRequest, work_id: int, filename: str) -> HttpResponse:
    access_work(request.user, work_id)
    raise Http404("Downloads are not available yet")
