"""Blocking: a user keeps another away from their works (no comments, replies or kudos there, no
invitation to co-create). A block changes nothing a reader sees in listings, so nothing is
reindexed; muting (what the blocker sees) is apart, in actions/exclusions.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from fanarchive.archive.actions import ActionError
from fanarchive.archive.models import Block, Creatorship, User, Work


def check_block(user: User, blocked: User) -> None:
    if user.pk == blocked.pk:
        raise ActionError("You cannot block yourself.")
    if blocked.is_staff:
        # Staff must still be able to reach every work to moderate it.
        raise ActionError("Staff accounts cannot be blocked.")


@transaction.atomic
def do_block(user: User, blocked: User) -> Block:
    check_block(user, blocked)
    block, _ = Block.objects.get_or_create(user=user, blocked=blocked)
    return block


@transaction.atomic
def do_unblock(user: User, blocked: User) -> None:
    Block.objects.filter(user=user, blocked=blocked).delete()


def is_blocked(owner_ids: Iterable[int], user: User | None) -> bool:
    """Whether any of these users blocked `user` (a guest is never blocked by account)."""
    if user is None or not user.is_authenticated:
        return False
    return Block.objects.filter(user_id__in=list(owner_ids), blocked_id=user.pk).exists()


def work_owner_ids(work: Work) -> set[int]:
    """The accounts credited on `work` (accepted creators only: an invitation owns nothing)."""
    return set(Creatorship.objects.filter(work=work, accepted=True).values_list("pseud__user_id", flat=True))


def check_not_blocked(work: Work, user: User | None) -> None:
    """Raise when a creator of `work` blocked `user` (for comments, replies and kudos)."""
    if is_blocked(work_owner_ids(work), user):
        raise ActionError("A creator of this work has blocked you.")
