from __future__ import annotations

from collections.abc import Iterable

from fanarchive.archive.models import SearchOutbox


def enqueue_reindex(work_ids: Iterable[int]) -> None:
    """Call inside the transaction that changed the works, never after it."""
    SearchOutbox.objects.bulk_create([SearchOutbox(work_id=work_id) for work_id in sorted(set(work_ids))])
