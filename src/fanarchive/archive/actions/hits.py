from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from fanarchive.archive.models import StatCounter, Work, WorkHit


def visitor_key(address: str, user_agent: str, user_id: int | None, day: dt.date) -> str:
    """A keyed hash that tells today's visitors apart without storing who they are."""
    identity = f"user:{user_id}" if user_id else f"guest:{address}|{user_agent}"
    message = f"{identity}|{day.isoformat()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def do_record_hit(work: Work, visitor: str, day: dt.date) -> bool:
    """Count the hit unless this visitor was counted today; True when it counted."""
    try:
        with transaction.atomic():
            WorkHit.objects.create(work=work, visitor=visitor, day=day)
            StatCounter.objects.filter(work=work).update(hits=F("hits") + 1)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def do_forget_hits_before(day: dt.date) -> int:
    """Delete the visitor rows of days before `day`; returns how many went. The counts stay."""
    deleted, _ = WorkHit.objects.filter(day__lt=day).delete()
    return deleted
