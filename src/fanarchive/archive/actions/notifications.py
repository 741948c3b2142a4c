"""Inbox items: written when a work, chapter or comment becomes visible, then read, deleted, mailed.

Posting calls `do_notify_posted` in its own transaction, so a rolled-back post tells nobody. Mail is
sent by tasks from the rows written here (the row is the queue: a worker that was down catches up)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from fanarchive.archive.actions import ActionError
from fanarchive.archive.models import Chapter, Comment, InboxItem, Preferences, User, Work
from fanarchive.archive.models.readers import EMAIL_FREQUENCIES
from fanarchive.archive.notify.guest_mail import guest_to_tell, send_guest_reply_task
from fanarchive.archive.notify.recipients import comment_recipients, subscriptions_for
from fanarchive.archive.notify.webhooks import queue_posted


@transaction.atomic
def do_notify_comment(comment: Comment) -> list[InboxItem]:
    """Tell the work's creators of a comment, and the parent comment's author of a reply (one
    item each; a creator replied to hears of it as a reply; a guest by one e-mail). Never the
    commenter."""
    items = [
        InboxItem(user_id=user_id, kind=kind, work=comment.work, chapter=comment.chapter, comment=comment)
        for user_id, kind in comment_recipients(comment).items()
    ]
    if guest_to_tell(comment):
        # After commit: a reply rolled back mails nobody, and the task reads the committed row.
        comment_id = comment.pk
        transaction.on_commit(lambda: send_guest_reply_task(comment_id))
    return InboxItem.objects.bulk_create(items)


@transaction.atomic
def do_notify_posted(work: Work | None = None, chapter: Chapter | None = None) -> list[InboxItem]:
    """Called when a work (`work`) or one chapter of a posted work (`chapter`) becomes visible:
    one item per subscriber who may see it, however many of their subscriptions match."""
    if chapter is not None:
        target = Work.objects.get(pk=chapter.work_id)
        kind = "chapter"
    elif work is not None:
        target = Work.objects.get(pk=work.pk)  # the caller's copy may predate the posting update
        kind = "work"
    else:
        raise ValueError("do_notify_posted needs a work or a chapter")
    recipients = subscriptions_for(target, new_work=chapter is None)
    items = [
        InboxItem(user_id=user_id, kind=kind, work=target, chapter=chapter, subscription=subscription)
        for user_id, subscription in recipients.items()
    ]
    # The same people hear of it at their webhooks, if they have any.
    queue_posted(target, chapter, recipients)
    return InboxItem.objects.bulk_create(items)


@transaction.atomic
def do_mark_read(user: User, item_ids: Iterable[int], *, now: dt.datetime | None = None) -> int:
    return InboxItem.objects.filter(user=user, pk__in=list(item_ids), read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


@transaction.atomic
def do_mark_all_read(user: User, *, now: dt.datetime | None = None) -> int:
    return InboxItem.objects.filter(user=user, read_at__isnull=True).update(read_at=now or timezone.now())


@transaction.atomic
def do_delete_inbox_items(user: User, item_ids: Iterable[int]) -> int:
    deleted, _ = InboxItem.objects.filter(user=user, pk__in=list(item_ids)).delete()
    return deleted


@transaction.atomic
def do_mark_emailed(item_ids: Iterable[int], *, now: dt.datetime | None = None) -> int:
    """Only items not marked yet: a second worker that mailed them too changes nothing."""
    return InboxItem.objects.filter(pk__in=list(item_ids), emailed_at__isnull=True).update(
        emailed_at=now or timezone.now()
    )


def preferences_of(user: User) -> Preferences:
    """The user's preferences row, made on first use (defaults: immediate mail, no feed)."""
    prefs, _ = Preferences.objects.get_or_create(user=user)
    return prefs


def check_email_frequency(frequency: str) -> None:
    if frequency not in dict(EMAIL_FREQUENCIES):
        raise ActionError("Choose how often to be sent e-mail.")


@transaction.atomic
def do_set_email_frequency(user: User, frequency: str, *, now: dt.datetime | None = None) -> None:
    check_email_frequency(frequency)
    prefs = preferences_of(user)
    if frequency != prefs.email_frequency and frequency in {"daily", "weekly"}:
        # A digest covers what comes after choosing it; what came before is not sent again.
        prefs.last_digest_at = now or timezone.now()
    was = prefs.email_frequency
    prefs.email_frequency = frequency
    prefs.save(update_fields=["email_frequency", "last_digest_at"])
    if "never" in {was, frequency}:
        # Never means never: what came while it was chosen is not mailed after switching back.
        do_mark_emailed(InboxItem.objects.filter(user=user).values_list("pk", flat=True), now=now)


@transaction.atomic
def do_record_digest(user: User, item_ids: Iterable[int], *, now: dt.datetime) -> None:
    do_mark_emailed(item_ids, now=now)
    Preferences.objects.filter(user=user).update(last_digest_at=now)


@transaction.atomic
def do_new_feed_token(user: User) -> str:
    """A new secret for the private feed's URL: the old URL stops answering."""
    prefs = preferences_of(user)
    prefs.feed_token = secrets.token_urlsafe(32)
    prefs.save(update_fields=["feed_token"])
    return prefs.feed_token


@transaction.atomic
def do_revoke_feed_token(user: User) -> None:
    Preferences.objects.filter(user=user).update(feed_token="")
