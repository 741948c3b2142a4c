"""Changes to a whole work made by staff: its visibility flags, its deletion."""

from __future__ import annotations

from django.db import transaction

from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import RelatedWork, Work


@transaction.atomic
def do_set_work_flags(work: Work, *, posted: bool, restricted: bool, hidden_by_admin: bool) -> None:
    work.posted, work.restricted, work.hidden_by_admin = posted, restricted, hidden_by_admin
    work.save(update_fields=["posted", "restricted", "hidden_by_admin"])
    enqueue_reindex([work.pk])


@transaction.atomic
def do_delete_work(work: Work) -> None:
    """Delete the work and everything hanging from it; the outbox row (keyed by id, not a foreign
    key) survives it and takes the work out of the search index."""
    work_id = work.pk
    # Other works' links to it would outlive it as links to nowhere that still carry its title.
    RelatedWork.objects.filter(target=work).delete()
    work.delete()
    enqueue_reindex([work_id])
