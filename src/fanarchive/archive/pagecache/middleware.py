"""Serving whole pages to anonymous readers from the cache, and storing the ones they are served.

Only GET and HEAD of the public reading routes (CACHED_ROUTES), only for a reader with no session
(so not logged in), no message waiting and no API credentials, and only a 200 answer that sets no
cookie but the CSRF one: anything a logged-in member sees, and anything private, never reaches the
cache. A page served from the cache still counts its hit, gets the reader's own CSRF token (and
cookie) and an ETag (so a reader's second visit is a 304).

It sits near the top of MIDDLEWARE, after the security and origin middlewares (an https site's
redirect, the origin links are written on) and before everything else: a page from the cache skips
sessions, authentication, CSP, routing and the rest (about two thirds of a cached page's cost when
this sat last). What those middlewares add to a page's headers is kept with it and sent again.

Each page is kept with the version tokens of every key it showed (dependencies.py) and served only
while they are all current. The tokens are read after the page is made, which is safe only because
the page is kept at all just when WRITE, which every write replaces first, did not change between
the start of the request and that read: no write can then have landed between the rows and the
tokens (invalidation.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.cache import get_conditional_response

from fanarchive.archive.observability.metrics import count_cache
from fanarchive.archive.pagecache.csrf import fill_tokens
from fanarchive.archive.pagecache.dependencies import noting, shows_works
from fanarchive.archive.pagecache.invalidation import note_version_read
from fanarchive.archive.pagecache.versions import WRITE, readable_versions
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
# Headers a stored page does not keep: its length and ETag are worked out again for the body each
# reader gets (their own CSRF token), and cookies are the reader's own.
_PER_RESPONSE_HEADERS = frozenset({"content-length", "etag", "set-cookie", "date"})
_NEVER_CACHED = ("/static/", "/api/")


def _may_use_cache(request: HttpRequest) -> bool:
    """Whether this reader may be served from (or have their page stored in) the page cache:
    decided from the request alone, before sessions or authentication have run."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(_NEVER_CACHED):
        return False  # WhiteNoise's and the API's: no lookup for them
    # A Host outside ALLOWED_HOSTS is refused (DisallowedHost, a 400) even where the site's origin
    # is configured and nothing else here asks for the host before a page from the cache.
    request.get_host()
    cookies = request.COOKIES
    # A session may be a member's (and is one whenever it matters): they are never served from here.
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False  # a member, or a "kudos left" note waiting for this reader
    return "HTTP_AUTHORIZATION" not in request.META


def _cached_route(request: HttpRequest) -> ResolverMatch | None:
    """The route when its anonymous answer is the same for every anonymous reader. Sets the
    request's resolver_match, which the view would otherwise get later."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    # The site's own routes are not namespaced; the API's are, and its names may match a page's.
    if match.namespace or match.url_name not in CACHED_ROUTES:
        return None
    request.resolver_match = match
    return match


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and user is not None
        and not user.is_authenticated
        and (session is None or not session.modified)
        # The CSRF cookie is the reader's own, and sent again with their copy (_respond).
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


def _key(request: HttpRequest) -> str:
    # The origin is part of the key: links in the page are written on it (site_origin.py). So are
    # the download formats: pages offer only those, and no database write says when they change.
    formats = ",".join(fmt.name for fmt in available_formats())
    raw = f"{site_url()}|{formats}|{request.get_full_path()}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _etag(digest: str, request: HttpRequest) -> str:
    # The reader's CSRF secret is part of it: a 304 keeps a copy whose forms match their cookie.
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return '"' + hashlib.sha256(f"{digest}|{secret}".encode()).hexdigest()[:32] + '"'


def _current(entry: Any) -> bool:
    keys = entry.get("versions") if isinstance(entry, dict) else None
    if not keys or "digest" not in entry:
        return False  # kept by an older release, in another shape
    tokens = readable_versions(list(keys))
    note_version_read()
    return tokens is not None and tokens == list(keys.values())


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Its process_request reads the reader's CSRF cookie, and its process_response sends the
        # cookie again when a token was given out: on a page from the cache, the CSRF middleware
        # further down never runs.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _may_use_cache(request):
            return self.get_response(request)
        pages = caches["pages"]
        key = _key(request)
        entry = pages.get(key)
        if entry is not None and _current(entry):
            count_cache("pages", hit=True)
            request.page_cache_view = entry["view"]  # type: ignore[attr-defined]
            self.csrf.process_request(request)
            if hit_work := entry.get("hit_work"):
                from fanarchive.archive.web.hits import count_hit

                count_hit(request, hit_work)
            return self._respond(request, entry)
        route = _cached_route(request)
        started = readable_versions([WRITE]) if route is not None else None
        if route is None or started is None:
            return self.get_response(request)
        count_cache("pages", hit=False)
        note_version_read()
        request.page_cache_storing = True  # type: ignore[attr-defined]
        with noting() as keys:
            if "work_id" in route.kwargs:
                shows_works([route.kwargs["work_id"]])
            response = self.get_response(request)
        if not _storable(request, response):
            if isinstance(response, HttpResponse) and not response.streaming:
                filled = fill_tokens(request, response.content)
                if filled is not response.content:
                    # Set by middlewares inside this one, on the body with the placeholders.
                    del response["Content-Length"]
                    del response["ETag"]
                    response.content = filled
                self.csrf.process_response(request, response)
            return response
        shown = sorted(keys)
        tokens = readable_versions([*shown, WRITE])
        entry = {
            "body": response.content,
            # Hashed once here, not for every reader it is served to (an 80 KB listing's hash was
            # a third of its cost from the cache).
            "digest": hashlib.sha256(response.content).hexdigest(),
            "headers": [
                (name, value) for name, value in response.items() if name.lower() not in _PER_RESPONSE_HEADERS
            ],
            "hit_work": getattr(request, "page_cache_hit_work", None),
            "view": route.view_name,
            "versions": dict(zip(shown, tokens or [], strict=False)),
        }
        # Kept only if no write landed while it was made (see the module's docstring); served
        # either way.
        if tokens is not None and tokens[-1] == started[0]:
            pages.set(key, entry, settings.PAGE_CACHE_SECONDS)
        return self._respond(request, entry)

    def _respond(self, request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
        body: bytes = entry["body"]
        response = HttpResponse(fill_tokens(request, body), status=200)
        for name, value in entry["headers"]:
            response[name] = value
        etag = _etag(entry["digest"], request)
        response["ETag"] = etag
        self.csrf.process_response(request, response)
        return get_conditional_response(request, etag=etag, response=response) or response
