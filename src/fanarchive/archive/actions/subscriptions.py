"""Following a work, a series, a creator or a tag. The views only offer to follow what the reader
can see (access.py); following twice is following once."""

from __future__ import annotations

from django.db import transaction

from fanarchive.archive.actions import ActionError
from fanarchive.archive.models import Series, Subscription, Tag, User, Work

Target = Work | Series | Tag | User


def _target_field(target: Target) -> str:
    if isinstance(target, Work):
        return "work"
    if isinstance(target, Series):
        return "series"
    if isinstance(target, Tag):
        return "tag"
    return "creator"


def check_subscribe(user: User, target: Target) -> None:
    if isinstance(target, User) and target.pk == user.pk:
        raise ActionError("You cannot subscribe to yourself.")


@transaction.atomic
def do_subscribe(user: User, target: Target) -> Subscription:
    check_subscribe(user, target)
    # The user row is the lock: two clicks at once make one subscription.
    User.objects.select_for_update().filter(pk=user.pk).first()
    field = _target_field(target)
    existing = Subscription.objects.filter(user=user, **{field: target}).first()
    if existing is not None:
        return existing
    return Subscription.objects.create(user=user, **{field: target})


@transaction.atomic
def do_unsubscribe(user: User, target: Target) -> int:
    deleted, _ = Subscription.objects.filter(user=user, **{_target_field(target): target}).delete()
    return deleted


@transaction.atomic
def do_delete_subscription(user: User, subscription_id: int) -> int:
    deleted, _ = Subscription.objects.filter(user=user, pk=subscription_id).delete()
    return deleted
