from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.blocks import check_not_blocked
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import Creatorship, Kudos, StatCounter, User, Work
from fanarchive.archive.pagecache.invalidation import changes_only
from fanarchive.archive.pagecache.versions import work_key


def guest_hash(address: str, work_id: int) -> str:
    """Keyed, so the stored value cannot be turned back into the guest's address."""
    message = f"kudos|{work_id}|{address}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def check_leave_kudos(work: Work, user: User | None) -> None:
    if user is not None:
        if Creatorship.objects.filter(work=work, accepted=True, pseud__user=user).exists():
            raise ActionError("You cannot leave kudos on your own work.")
        check_not_blocked(work, user)


def do_leave_kudos(work: Work, user: User | None, guest_hash: str) -> bool:
    """One kudos per account, or per guest, per work; True when this one counted. Raises
    ActionError for a creator of the work or a user one of its creators blocked."""
    check_leave_kudos(work, user)
    try:
        # Kudos show only on the work's own pages and its blurbs, which note the work's page
        # version: the cached pages of every other work stay (pagecache/dependencies.py).
        with changes_only([work_key(work.pk)]), transaction.atomic():
            Kudos.objects.create(work=work, user=user, guest_hash="" if user else guest_hash)
            StatCounter.objects.filter(work=work).update(kudos=F("kudos") + 1)
            enqueue_reindex([work.pk])
    except IntegrityError:
        return False
    return True
