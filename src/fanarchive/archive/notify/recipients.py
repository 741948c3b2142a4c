"""Who hears of a newly visible work, chapter or comment.

Everyone told must be able to see the work: it is posted and not hidden by an admin (a restricted
work is seen by every logged-in user, and only users have inboxes). Nobody hears of their own work
or comment, nor of the works or comments of someone they muted."""

from __future__ import annotations

from django.db.models import Q

from fanarchive.archive.access import credited_creatorships
from fanarchive.archive.models import (
    Comment,
    FilterTagging,
    Mute,
    SerialWork,
    Subscription,
    Tagging,
    Work,
)


def notifiable(work: Work) -> bool:
    return work.posted and not work.hidden_by_admin


def creator_ids(work: Work) -> set[int]:
    return set(credited_creatorships([work.pk]).values_list("pseud__user_id", flat=True))


def _muting(user_ids: set[int], muted_ids: set[int]) -> set[int]:
    if not user_ids or not muted_ids:
        return set()
    return set(
        Mute.objects.filter(user_id__in=user_ids, muted_id__in=muted_ids).values_list("user_id", flat=True)
    )


def subscriptions_for(work: Work, *, new_work: bool) -> dict[int, Subscription]:
    """One subscription per user that should hear of this work (`new_work`) or of a new chapter of
    it: its creators' and its series' subscribers both times, its own subscribers for a chapter, its
    tags' subscribers for a new work (the tag itself, and what it is filed under: a synonym's
    canonical tag, a sub tag's meta tags). A user matched several ways is told once."""
    if not notifiable(work):
        return {}
    creators = creator_ids(work)
    series_ids = SerialWork.objects.filter(work=work).values_list("series_id", flat=True)
    matches = Q(creator_id__in=creators) | Q(series_id__in=list(series_ids))
    if new_work:
        tag_ids = set(Tagging.objects.filter(work=work).values_list("tag_id", flat=True))
        tag_ids |= set(FilterTagging.objects.filter(work=work).values_list("tag_id", flat=True))
        matches |= Q(tag_id__in=tag_ids)
    else:
        matches |= Q(work=work)
    found: dict[int, Subscription] = {}
    for subscription in (
        Subscription.objects.filter(matches, user__is_active=True)
        .exclude(user_id__in=creators)
        .order_by("pk")
    ):
        found.setdefault(subscription.user_id, subscription)
    for user_id in _muting(set(found), creators):
        del found[user_id]
    return found


def comment_recipients(comment: Comment) -> dict[int, str]:
    """User id → kind ("comment" for the work's creators, "reply" for the parent's author)."""
    work = comment.work
    if not notifiable(work) or comment.deleted or not comment.approved:
        return {}
    if comment.hidden_as_spam or comment.hidden_by_admin:
        return {}
    told: dict[int, str] = dict.fromkeys(creator_ids(work), "comment")
    parent = comment.parent
    if parent is not None and parent.pseud is not None:
        told[parent.pseud.user_id] = "reply"
    if comment.pseud is not None:
        commenter = comment.pseud.user_id
        told.pop(commenter, None)
        for user_id in _muting(set(told), {commenter}):
            del told[user_id]
    return told
