"""AO3's orphaning: an author gives up their works without deleting them. The creatorships move to
one shared `orphan_account` user, so the works stay readable but point at nobody."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import Creatorship, User, Work

ORPHAN_ACCOUNT = "orphan_account"


@transaction.atomic
def do_ensure_orphan_account() -> User:
    """The account orphaned works belong to, made on first use; nobody can log into it."""
    user, created = User.objects.get_or_create(username=ORPHAN_ACCOUNT)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.pseuds.get_or_create(name=ORPHAN_ACCOUNT, defaults={"is_default": True})
    return user


@transaction.atomic
def do_orphan_works(works: Iterable[Work], user: User, *, keep_pseud: bool) -> list[int]:
    """Move `user`'s creatorships on `works` to the orphan account: onto a pseud of that account
    named as the user's pseud was (`keep_pseud`), or onto its default pseud "orphan_account".
    Co-creators keep their own credit. Answers the ids of the works that changed."""
    orphan = do_ensure_orphan_account()
    default = orphan.pseuds.get(name=ORPHAN_ACCOUNT)
    work_ids = [work.pk for work in works]
    creatorships = list(
        Creatorship.objects.select_related("pseud").filter(work_id__in=work_ids, pseud__user=user)
    )
    changed: set[int] = set()
    for creatorship in creatorships:
        if not creatorship.accepted:
            # An invitation the user never answered: nobody is left to accept it, and it credited
            # no one, so it goes without a reindex.
            creatorship.delete()
            continue
        target = default
        if keep_pseud and creatorship.pseud.name != ORPHAN_ACCOUNT:
            target, _created = orphan.pseuds.get_or_create(name=creatorship.pseud.name)
        if Creatorship.objects.filter(work_id=creatorship.work_id, pseud=target).exists():
            # The orphan pseud already credits this work (two of the user's pseuds, one name).
            creatorship.delete()
        else:
            creatorship.pseud = target
            creatorship.save(update_fields=["pseud"])
        changed.add(creatorship.work_id)
    enqueue_reindex(changed)
    return sorted(changed)
