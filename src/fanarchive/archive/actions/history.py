"""A reader's own record of reading: the works they visited (last chapter, how often), the ones
they marked to read later, and whether to keep history at all. Nothing here shows in listings,
so nothing is reindexed."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fanarchive.archive.models import Preferences, ReadingHistory, User, Work


def history_enabled(user: User) -> bool:
    """Off only when the reader turned it off (no Preferences row yet: the default, on)."""
    enabled = Preferences.objects.filter(user=user).values_list("history_enabled", flat=True).first()
    return enabled is None or bool(enabled)


def do_record_visit(user: User, work: Work, chapter: int) -> None:
    """One upsert per page view: the row's visits go up and its last chapter moves."""
    if not history_enabled(user):
        return
    with transaction.atomic():
        updated = ReadingHistory.objects.filter(user=user, work=work).update(
            last_chapter=chapter, visits=F("visits") + 1, last_read_at=timezone.now()
        )
        if not updated:
            # Two first visits at once: the second one's insert meets the unique constraint and
            # leaves the first's row (one visit lost, no error page).
            ReadingHistory.objects.bulk_create(
                [ReadingHistory(user=user, work=work, last_chapter=chapter)], ignore_conflicts=True
            )


@transaction.atomic
def do_mark_for_later(user: User, work: Work, marked: bool = True) -> None:
    """Marking works even with history off: it is a list the reader asked for."""
    updated = ReadingHistory.objects.filter(user=user, work=work).update(marked_for_later=marked)
    if not updated and marked:
        ReadingHistory.objects.create(user=user, work=work, visits=0, marked_for_later=True)


@transaction.atomic
def do_clear_history(user: User) -> int:
    """Forget the visits; works still marked for later stay on that list. Returns how many went."""
    deleted, _ = ReadingHistory.objects.filter(user=user, marked_for_later=False).delete()
    ReadingHistory.objects.filter(user=user).update(visits=0)
    return deleted


@transaction.atomic
def do_set_history_enabled(user: User, enabled: bool) -> None:
    Preferences.objects.update_or_create(user=user, defaults={"history_enabled": enabled})
