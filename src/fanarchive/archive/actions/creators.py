"""A work's creators: inviting a co-creator by pseud, their answer, and taking a creator off.

An invited co-creator's creatorship is written with accepted=False and is credited nowhere (bylines,
author pages, search, exports, feeds) until they accept, so the invitation changes nothing a reader
sees and queues no reindex; accepting and removing change the byline and do."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.blocks import is_blocked
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import Creatorship, Pseud, User, Work


def check_invite_cocreator(work: Work, pseud: Pseud, *, invited_by: User) -> None:
    if not Creatorship.objects.filter(work=work, pseud__user=invited_by, accepted=True).exists():
        raise ActionError("Only a creator of this work may invite co-creators.")
    if Creatorship.objects.filter(work=work, pseud=pseud).exists():
        raise ActionError(f"{pseud.name} is already a creator of this work or has been invited.")
    if Creatorship.objects.filter(work=work, pseud__user=pseud.user_id).exists():
        raise ActionError(f"{pseud.name} is already a creator of this work under another pseud.")
    if is_blocked([pseud.user_id], invited_by):
        raise ActionError(f"{pseud.name} cannot be invited.")


@transaction.atomic
def do_invite_cocreator(work: Work, pseud: Pseud, *, invited_by: User) -> Creatorship:
    """Invite `pseud` to be credited on `work`; it shows only once its user accepts."""
    check_invite_cocreator(work, pseud, invited_by=invited_by)
    last = Creatorship.objects.filter(work=work).aggregate(last=Max("position"))["last"]
    return Creatorship.objects.create(
        work=work, pseud=pseud, accepted=False, position=0 if last is None else last + 1
    )


def check_answer_creatorship(creatorship: Creatorship, user: User) -> None:
    if creatorship.pseud.user_id != user.pk:
        raise ActionError("This invitation is not yours.")
    if creatorship.accepted:
        raise ActionError("This invitation has already been accepted.")


@transaction.atomic
def do_accept_creatorship(creatorship: Creatorship, user: User) -> None:
    check_answer_creatorship(creatorship, user)
    creatorship.accepted = True
    creatorship.save(update_fields=["accepted"])
    # The byline changes: listings and search show the new creator from now on.
    enqueue_reindex([creatorship.work_id])


@transaction.atomic
def do_decline_creatorship(creatorship: Creatorship, user: User) -> None:
    check_answer_creatorship(creatorship, user)
    # Nothing a reader sees named the pending creator, so there is nothing to reindex.
    creatorship.delete()


def check_remove_creator(work: Work, pseud: Pseud, by: User) -> Creatorship:
    creatorship = Creatorship.objects.filter(work=work, pseud=pseud).first()
    if creatorship is None:
        raise ActionError(f"{pseud.name} is not a creator of this work.")
    if not Creatorship.objects.filter(work=work, pseud__user=by, accepted=True).exists():
        raise ActionError("Only a creator of this work may change its creators.")
    others = Creatorship.objects.filter(work=work, accepted=True).exclude(pk=creatorship.pk)
    if creatorship.accepted and not others.exists():
        raise ActionError("A work needs at least one creator: orphan or delete it instead.")
    return creatorship


@transaction.atomic
def do_remove_creator(work: Work, pseud: Pseud, by: User) -> None:
    """Take `pseud` off `work` (an accepted creator or a pending invitation)."""
    creatorship = check_remove_creator(work, pseud, by)
    was_credited = creatorship.accepted
    creatorship.delete()
    if was_credited:
        enqueue_reindex([work.pk])
