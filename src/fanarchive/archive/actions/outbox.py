from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from fanarchive.archive.models import SearchOutbox


def enqueue_reindex(work_ids: Iterable[int]) -> None:
    """Call inside the transaction that changed the works, never after it."""
    SearchOutbox.objects.bulk_create([SearchOutbox(work_id=work_id) for work_id in sorted(set(work_ids))])


@transaction.atomic
def do_forget_outbox_rows(row_ids: Iterable[int]) -> None:
    """The indexer's half of the outbox: drop the rows it has indexed and committed, and only those
    (a row written meanwhile may describe a change the index has not seen)."""
    SearchOutbox.objects.filter(id__in=list(row_ids)).delete()
