"""Sending what the inbox holds by e-mail, as each user chose (Preferences.email_frequency):
one mail per item as it happens, one digest a day or a week, or none.

An item is marked emailed once its mail went; one whose work is no longer visible (hidden by an
admin since, or deleted) is marked without a mail, so that it is never sent later."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from fanarchive.archive.actions.notifications import do_mark_emailed, do_record_digest
from fanarchive.archive.feeds import links
from fanarchive.archive.models import InboxItem, Preferences, User
from fanarchive.archive.notify.describe import describe
from fanarchive.archive.notify.recipients import notifiable

DIGEST_EVERY = {"daily": dt.timedelta(days=1), "weekly": dt.timedelta(days=7)}


def _unsent() -> QuerySet[InboxItem]:
    return (
        InboxItem.objects.filter(emailed_at__isnull=True)
        .select_related("user", "work", "chapter", "comment__pseud")
        .order_by("created_at", "pk")
    )


def _mailable(item: InboxItem) -> bool:
    return item.work is not None and notifiable(item.work) and item.user.is_active and bool(item.user.email)


def send_immediate(now: dt.datetime | None = None) -> int:
    """One mail per unsent item of users who want mail as it happens (the default); returns how
    many mails went."""
    now = now or timezone.now()
    wanted = Q(user__preferences__isnull=True) | Q(user__preferences__email_frequency="immediate")
    sent = 0
    for item in _unsent().filter(wanted):
        if _mailable(item):
            text = describe(item)
            body = render_to_string(
                "archive/mail/item.txt",
                {
                    "item": text,
                    "user": item.user,
                    "inbox": links.absolute("/inbox"),
                    "site_name": settings.SITE_NAME,
                },
            )
            send_mail(_subject(text.title), body, settings.DEFAULT_FROM_EMAIL, [item.user.email])
            sent += 1
        do_mark_emailed([item.pk], now=now)
    return sent


def send_digests(now: dt.datetime | None = None) -> int:
    """One mail per user whose daily or weekly digest is due and who has unsent items; returns how
    many digests went."""
    now = now or timezone.now()
    waiting: dict[User, list[InboxItem]] = defaultdict(list)
    for item in _unsent().filter(user__preferences__email_frequency__in=list(DIGEST_EVERY)):
        waiting[item.user].append(item)
    sent = 0
    for user, items in waiting.items():
        prefs = Preferences.objects.get(user=user)
        last = prefs.last_digest_at
        if last is not None and now - last < DIGEST_EVERY[prefs.email_frequency]:
            continue
        mailable = [item for item in items if _mailable(item)]
        if mailable:
            body = render_to_string(
                "archive/mail/digest.txt",
                {
                    "items": [describe(item) for item in mailable],
                    "user": user,
                    "frequency": prefs.get_email_frequency_display().lower(),
                    "inbox": links.absolute("/inbox"),
                    "site_name": settings.SITE_NAME,
                },
            )
            subject = _subject(f"{len(mailable)} new in your inbox")
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            sent += 1
        do_record_digest(user, [item.pk for item in items], now=now)
    return sent


def _subject(text: str) -> str:
    # A header is one line: titles are plain text but may hold anything a user typed.
    return f"[{settings.SITE_NAME}] " + " ".join(text.split())[:180]
