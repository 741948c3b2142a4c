"""Draining the search outbox into the index. Idempotent: a batch that dies half way is simply
done again, since its outbox rows are deleted only after the index has committed."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from fanarchive.archive.actions.outbox import do_forget_outbox_rows, enqueue_reindex
from fanarchive.archive.indexing.documents import build_documents, tag_entries
from fanarchive.archive.models import FilterTagging, SearchOutbox, Tagging, Work
from fanarchive.archive.pagecache.invalidation import everything_changed, listings_changed
from fanarchive.search.backend import SearchBackend
from fanarchive.search.tantivy_backend import TantivyBackend

BATCH = 200


def _index_works(backend: SearchBackend, work_ids: list[int]) -> None:
    documents = build_documents(work_ids)
    present = {doc.work_id for doc in documents}
    backend.index(documents)
    backend.delete([work_id for work_id in work_ids if work_id not in present])
    tag_ids = set(Tagging.objects.filter(work_id__in=present).values_list("tag_id", flat=True))
    # And the tags they are filed under (meta tags): who may be offered those changes with them.
    tag_ids |= set(FilterTagging.objects.filter(work_id__in=present).values_list("tag_id", flat=True))
    backend.index_tags(tag_entries(tag_ids))


# pg_advisory_xact_lock's key for draining the outbox ("fana" in ASCII).
_DRAIN_LOCK = 0x66616E61


def drain_outbox(backend: SearchBackend, batch: int = BATCH) -> int:
    """Index one batch of outbox rows; returns how many works it covered (0: nothing to do)."""
    if connection.vendor != "postgresql":
        return _drain_batch(backend, batch)
    # Nothing waiting, the usual answer (a search drains first where SEARCH_INDEX_IMMEDIATELY is
    # set): one query, as on SQLite, and no lock to take.
    if not SearchOutbox.objects.exists():
        return 0
    # One drainer at a time across every process and machine sharing the database (the indexer, an
    # import indexing its own works, other nodes'): two would write the same works into a shared
    # index at once, and one that read a work before a change could commit after another that read
    # it after, leaving the older document with its outbox rows gone.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_DRAIN_LOCK])
        return _drain_batch(backend, batch)


def _drain_batch(backend: SearchBackend, batch: int) -> int:
    rows = list(SearchOutbox.objects.order_by("id").values_list("id", "work_id")[:batch])
    if not rows:
        return 0
    work_ids = sorted({work_id for _id, work_id in rows})
    _index_works(backend, work_ids)
    backend.commit()
    # Listings are read from the index: pages kept before this commit may lack these works.
    listings_changed()
    # Only the rows read: one committed meanwhile may describe a change these documents missed.
    do_forget_outbox_rows(row_id for row_id, _work in rows)
    return len(work_ids)


def drain_all(backend: SearchBackend, batch: int = BATCH) -> int:
    total = 0
    while done := drain_outbox(backend, batch):
        total += done
    return total


def reindex_all(backend: SearchBackend, on_progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the database."""
    pending = list(SearchOutbox.objects.values_list("id", flat=True))
    work_ids = list(Work.objects.order_by("pk").values_list("pk", flat=True))

    def fill(target: SearchBackend) -> None:
        for start in range(0, len(work_ids), BATCH):
            _index_works(target, work_ids[start : start + BATCH])
            if on_progress is not None:
                on_progress(min(start + BATCH, len(work_ids)), len(work_ids))
        target.index_tags(tag_entries())

    if isinstance(backend, TantivyBackend):
        # Built in a new directory that then replaces the live one: readers in other processes
        # keep the old index until the swap, and a rebuild that dies leaves it untouched.
        backend.rebuild(fill)
    else:
        backend.clear()
        fill(backend)
        backend.commit()
    # A whole rebuild is what follows a restore or surgery on the database, neither of which the
    # page cache's SQL watcher sees: every kept page goes, not only listings.
    everything_changed()
    do_forget_outbox_rows(pending)
    return len(work_ids)


def queue_all() -> int:
    """Hand every work to the running indexer (through the outbox), for when another process holds
    the index's writer and a rebuild here cannot take it."""
    with transaction.atomic():
        work_ids = list(Work.objects.values_list("pk", flat=True))
        enqueue_reindex(work_ids)
    everything_changed()  # as reindex_all: after a restore, no page kept before it may be served
    return len(work_ids)


def fill_if_empty(backend: SearchBackend) -> int:
    """Queue every work when the index holds none but the archive has some: an index of an older
    layout was dropped when opened (its backend makes it anew, empty), or its directory was lost.
    Returns how many works were queued."""
    if backend.count() > 0 or not Work.objects.exists():
        return 0
    return queue_all()
