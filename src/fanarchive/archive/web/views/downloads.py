"""Downloads: /downloads/<id>/<Title>.<ext>, as on AO3."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse

from fanarchive.archive.access import access_work
from fanarchive.archive.exports.cache import FormatUnavailable, UnknownFormat, export_format, open_download
from fanarchive.domain.exports import available_formats

_UNSAFE = re.compile(r"[^\w\-]+")


def download_filename(title: str, extension: str) -> str:
    stem = _UNSAFE.sub("_", title).strip("_")[:100] or "work"
    return f"{stem}.{extension}"


def download_url(work_id: int, title: str, extension: str) -> str:
    return reverse("download", args=[work_id, download_filename(title, extension)])


def download(request: HttpRequest, work_id: int, filename: str) -> FileResponse:
    work = access_work(request.user, work_id)
    extension = filename.rsplit(".", 1)[-1] if "." in filename else ""
    try:
        fmt = export_format(extension)
    except (UnknownFormat, FormatUnavailable):
        raise Http404("No such download format") from None
    # FileResponse reads and sends the open file in blocks: a long work is never whole in memory.
    return FileResponse(
        open_download(work, fmt.name),
        content_type=fmt.media_type,
        as_attachment=True,
        filename=download_filename(work.title, fmt.extension),
    )


def download_links(work_id: int, title: str) -> list[tuple[str, str]]:
    """(href, label) of each format this installation can write now, for the work page."""
    return [(download_url(work_id, title, fmt.extension), fmt.label) for fmt in available_formats()]
