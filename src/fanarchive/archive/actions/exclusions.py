"""A reader's saved exclusions: tags, muted creators, languages, crossovers and word counts kept
out of every listing they see (access.saved_exclusions reads them back). They change what one
reader is shown, never a work's search document, so nothing is reindexed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from fanarchive.archive.actions import ActionError
from fanarchive.archive.models import ExcludedTag, Mute, Preferences, Tag, User

MAX_EXCLUDED_TAGS = 500
MAX_MUTES = 1000


@transaction.atomic
def do_exclude_tag(user: User, tag: Tag) -> None:
    if ExcludedTag.objects.filter(user=user).count() >= MAX_EXCLUDED_TAGS:
        raise ActionError(f"You can exclude at most {MAX_EXCLUDED_TAGS} tags.")
    ExcludedTag.objects.get_or_create(user=user, tag=tag)


@transaction.atomic
def do_unexclude_tag(user: User, tag_id: int) -> None:
    ExcludedTag.objects.filter(user=user, tag_id=tag_id).delete()


def check_mute(user: User, muted: User) -> None:
    if user.pk == muted.pk:
        raise ActionError("You cannot mute yourself.")
    if Mute.objects.filter(user=user).count() >= MAX_MUTES:
        raise ActionError(f"You can mute at most {MAX_MUTES} accounts.")


@transaction.atomic
def do_mute(user: User, muted: User) -> None:
    """`muted`'s works, comments and bookmarks vanish for `user`, everywhere."""
    check_mute(user, muted)
    Mute.objects.get_or_create(user=user, muted=muted)


@transaction.atomic
def do_unmute(user: User, muted_id: int) -> None:
    Mute.objects.filter(user=user, muted_id=muted_id).delete()


def check_exclusion_preferences(words_from: int | None, words_to: int | None) -> None:
    if words_from is not None and words_to is not None and words_from > words_to:
        raise ActionError("The lowest word count must not be above the highest.")


@transaction.atomic
def do_set_exclusion_preferences(
    user: User,
    *,
    languages: Iterable[str],
    crossovers: bool,
    words_from: int | None,
    words_to: int | None,
) -> Preferences:
    check_exclusion_preferences(words_from, words_to)
    prefs, _ = Preferences.objects.get_or_create(user=user)
    prefs.excluded_languages = sorted({code.strip().lower() for code in languages if code.strip()})
    prefs.exclude_crossovers = crossovers
    prefs.words_from, prefs.words_to = words_from, words_to
    prefs.save(update_fields=["excluded_languages", "exclude_crossovers", "words_from", "words_to"])
    return prefs
