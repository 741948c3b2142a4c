"""Fragments made once and reused for every reader, logged in or not: each work's blurb in
listings, and on a work's page its tags, stats, byline and notes. Pages a member sees are never
cached whole (they carry the member's own links, kudos, bookmarks), but these parts are the same
for everyone who may see the work.

They are kept by `{% fragment %}` (templatetags/fragments.py) in the page cache's store, keyed on the
versions (archive/pagecache/versions.py) of the work they show and of SITE: a write that changes
what they show replaces one of them, so no fragment outlives a change. WRITE's token is read at
the start of the request, before the view reads a row: a fragment is kept only if no write landed
between then and its keeping, so its rows are those of the versions it is kept under.

On a work page's hit the blurb behind the fragments is never built (it is lazy): four queries
saved. In a listing the blurbs' rows are read only when a fragment misses (web/blurbs.py), so a
page whose blurbs are all kept reads none of them and renders none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from fanarchive.archive.models import StatCounter, Work
from fanarchive.archive.pagecache.invalidation import note_version_read
from fanarchive.archive.pagecache.versions import WRITE, readable_versions
from fanarchive.archive.web.blurbs import build_blurbs


class FragmentVersionMiddleware:
    """Reads WRITE's token for a GET or HEAD before the view runs; `{% fragment %}` keeps what it
    makes only while it is unchanged, and renders without the cache where it was not read (a
    POST's page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            tokens = readable_versions([WRITE])
            if tokens is not None:
                request.fragment_started = tokens[0]  # type: ignore[attr-defined]
                note_version_read()
        return self.get_response(request)


def fragment_context(request: HttpRequest, work: Work) -> dict[str, Any]:
    blurb = SimpleLazyObject(lambda: build_blurbs([work])[0])

    def stats() -> StatCounter | None:
        # The comments heading's count: from the blurb when a fragment miss built it anyway.
        if blurb._wrapped is not empty:
            return blurb.stats  # type: ignore[no-any-return]
        return StatCounter.objects.filter(work=work).first()

    return {"blurb": blurb, "stats": SimpleLazyObject(stats)}
