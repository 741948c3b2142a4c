"""What a user's inbox shows: their items whose work they may still see (one hidden by an admin or
deleted since it was written drops out), newest first."""

from __future__ import annotations

from django.db.models import QuerySet

from fanarchive.archive.models import InboxItem, User


def inbox_items(user: User) -> QuerySet[InboxItem]:
    return (
        InboxItem.objects.filter(user=user, work__posted=True, work__hidden_by_admin=False)
        .select_related("work", "chapter", "comment__pseud")
        .order_by("-created_at", "-pk")
    )


def unread_count(user: User) -> int:
    return inbox_items(user).filter(read_at__isnull=True).count()
