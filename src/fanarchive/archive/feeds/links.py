"""Absolute addresses for feeds and the media types their links carry.

Feeds are read away from the site (readers, e-book apps), so every address is absolute and built
on the site's origin: FANARCHIVE_SITE_URL, or the origin the request asked for (archive/site_origin.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from fanarchive.archive.site_origin import absolute_url
from fanarchive.archive.web.views.downloads import download_url
from fanarchive.domain.exports import available_formats
from fanarchive.domain.tags import tag_to_url_part

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ATOM_FEED = "application/atom+xml"
HTML = "text/html"
OPENSEARCH_DESCRIPTION = "application/opensearchdescription+xml"

REL_ACQUISITION = "http://opds-spec.org/acquisition"
REL_IMAGE = "http://opds-spec.org/image"
REL_THUMBNAIL = "http://opds-spec.org/image/thumbnail"


def absolute(path: str) -> str:
    return absolute_url(path)


def url(name: str, *args: object, query: dict[str, str | int] | None = None) -> str:
    # reverse() percent-encodes the arguments, so tag names with spaces give valid IRIs.
    path = reverse(name, args=list(args))
    if query:
        path += "?" + urlencode(query)
    return absolute(path)


def tag_part(name: str) -> str:
    return tag_to_url_part(name)


def work_url(work_id: int) -> str:
    return url("work", work_id)


def chapter_url(work_id: int, position: int) -> str:
    return url("chapter", work_id, position)


def user_url(username: str) -> str:
    return url("user", username)


def downloads(work_id: int, title: str) -> list[tuple[str, str, str]]:
    """(absolute href, media type, label) for each format this installation can write now, in the
    order readers should prefer them: a feed never offers a link that would answer 404."""
    return [
        (absolute(download_url(work_id, title, fmt.extension)), fmt.media_type.split(";")[0], fmt.label)
        for fmt in available_formats()
    ]
