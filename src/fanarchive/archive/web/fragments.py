"""Fragments of a work's page made once and reused for every reader, logged in or not: the work's
tags, stats, byline and notes. Pages a member sees are never cached whole (they carry the member's
own links, kudos, bookmarks), but these parts are the same for everyone who may see the work.

They are kept by `{% fragment %}` (templatetags/fragments.py) in the page cache's store, keyed on the
work and on the content version the page cache uses (archive/pagecache/versions.py): any write to
a shown table replaces that version, so no fragment outlives a change. The version is read at the
start of the request, before the view reads a row, for the same reason the page cache does: a
fragment made from rows older than a write is then stored under a version that write replaced.

On a hit the blurb behind the fragment is never built (it is lazy): five queries saved."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty

from fanarchive.archive.models import StatCounter, Work
from fanarchive.archive.pagecache.invalidation import note_version_read
from fanarchive.archive.pagecache.versions import version_store
from fanarchive.archive.web.blurbs import build_blurbs


def read_fragment_version(request: HttpRequest) -> None:
    """Call first in a view whose template uses fragments."""
    request.fragment_version = version_store().current()  # type: ignore[attr-defined]
    note_version_read()


def fragment_context(request: HttpRequest, work: Work) -> dict[str, Any]:
    blurb = SimpleLazyObject(lambda: build_blurbs([work])[0])

    def stats() -> StatCounter | None:
        # The comments heading's count: from the blurb when a fragment miss built it anyway.
        if blurb._wrapped is not empty:
            return blurb.stats  # type: ignore[no-any-return]
        return StatCounter.objects.filter(work=work).first()

    return {"blurb": blurb, "stats": SimpleLazyObject(stats)}
