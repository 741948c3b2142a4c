"""Serving whole pages to anonymous readers from the cache, and storing the ones they are served.

Only GET and HEAD of the public reading routes (CACHED_ROUTES), only for a reader who is not logged
in and has no message waiting, and only a 200 answer that sets no cookie: anything a logged-in
member sees, and anything private, never reaches the cache. A page served from the cache still
counts its hit, gets the reader's own CSRF token and an ETag (so a reader's second visit is a 304)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from fanarchive.archive.observability.metrics import count_cache
from fanarchive.archive.pagecache.csrf import fill_tokens
from fanarchive.archive.pagecache.invalidation import note_version_read
from fanarchive.archive.pagecache.versions import readable_version
from fanarchive.archive.site_origin import site_url
from fanarchive.domain.exports import available_formats

# Route names whose anonymous answer is the same for every anonymous reader.
CACHED_ROUTES = frozenset(
    {
        "home",
        "works",
        "work",
        "chapter",
        "series",
        "tag",
        "tag_works",
        "fandoms",
        "user",
        "user_works",
        "pseud",
        "pseuds",
        "user_bookmarks",
        "work_bookmarks",
        "opds_root",
        "opds_opensearch",
        "opds_search",
        "opds_recent",
        "opds_fandoms",
        "opds_fandom",
        "opds_tags",
        "opds_tag",
        "opds_kind",
        "opds_authors",
        "opds_author",
        "tag_feed",
        "user_feed",
        "work_feed",
    }
)
# Headers a stored page keeps; cookies and per-request headers are the reader's own.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")


def _cacheable_request(request: HttpRequest) -> bool:
    """Whether this request may be answered from, or stored in, the page cache. Sets the request's
    resolver_match, which the view would otherwise get later: a page served from the cache is still
    counted under its route's name in the metrics."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if "messages" in request.COOKIES:
        return False  # a "kudos left" note waits for this reader
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    # The site's own routes are not namespaced; the API's are, and its names may match a page's.
    if match.namespace or match.url_name not in CACHED_ROUTES:
        return False
    request.resolver_match = match
    return not request.user.is_authenticated


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def _key(request: HttpRequest, version: str) -> str:
    # The origin is part of the key: links in the page are written on it (site_origin.py). So are
    # the download formats this installation can write now (PDF once its libraries are installed,
    # MOBI once calibre is): pages offer only those, and no database write says when they change.
    formats = ",".join(fmt.name for fmt in available_formats())
    raw = f"{version}|{site_url()}|{formats}|{request.get_full_path()}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _etag(body: bytes, request: HttpRequest) -> str:
    # The reader's CSRF secret is part of it: a 304 keeps a copy whose forms match their cookie.
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return '"' + hashlib.sha256(body + secret.encode()).hexdigest()[:32] + '"'


def _respond(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    body: bytes = entry["body"]
    response = HttpResponse(fill_tokens(request, body), status=200)
    for name, value in entry["headers"]:
        response[name] = value
    response["ETag"] = _etag(body, request)
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        pages = caches["pages"]
        # The version is read before the view reads the database: a page made from rows older than
        # a write is stored under the version that write has already replaced.
        version = readable_version()
        if version is None:
            return self.get_response(request)
        key = _key(request, version)
        note_version_read()
        entry = pages.get(key)
        if entry is not None:
            count_cache("pages", hit=True)
            if hit_work := entry.get("hit_work"):
                from fanarchive.archive.web.hits import count_hit

                count_hit(request, hit_work)
            return _respond(request, entry)
        count_cache("pages", hit=False)
        request.page_cache_storing = True  # type: ignore[attr-defined]
        response = self.get_response(request)
        if not _storable(response) or request.session.modified:
            if isinstance(response, HttpResponse) and not response.streaming:
                response.content = fill_tokens(request, response.content)
            return response
        entry = {
            "body": response.content,
            "headers": [(name, response[name]) for name in _KEPT_HEADERS if response.has_header(name)],
            "hit_work": getattr(request, "page_cache_hit_work", None),
        }
        pages.set(key, entry, settings.PAGE_CACHE_SECONDS)
        return _respond(request, entry)
