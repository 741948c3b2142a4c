"""What a work's counters start from: the figures its source declared when it was imported.

An imported work's StatCounter is seeded with the source's hits, kudos, comments and bookmarks
(actions/imports.py), which have no rows here. Kudos and hits count up from that seed; comments
and bookmarks are recounted from their rows after every change (a deleted or hidden one must come
off), so a recount adds the declared figure back: counter = declared on the source + rows here.
Otherwise the first comment left here on a work imported with 50 would set its count to 1."""

from __future__ import annotations

from collections.abc import Mapping

from fanarchive.archive.models import Work


def declared_counters(stats: Mapping[str, int]) -> dict[str, int]:
    """A source's declared statistics as counter fields (eFiction says reads and reviews)."""
    return {
        "hits": stats.get("hits", stats.get("reads", 0)),
        "kudos": stats.get("kudos", 0),
        "comments": stats.get("comments", stats.get("reviews", 0)),
        "bookmarks": stats.get("bookmarks", 0),
    }


def declared_count(work_id: int, field: str) -> int:
    """The figure `work_id`'s source declared for counter `field` (0 for a work posted here)."""
    extra = Work.objects.filter(pk=work_id).values_list("source_extra", flat=True).first()
    stats = extra.get("declared_stats") if isinstance(extra, dict) else None
    return int(declared_counters(stats)[field]) if isinstance(stats, dict) else 0
