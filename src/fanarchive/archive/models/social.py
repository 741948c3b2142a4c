"""What readers leave on works. The counts shown in listings are in StatCounter."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from fanarchive.domain.sanitize import SANITIZER_VERSION


class Kudos(models.Model):
    work = models.ForeignKey("archive.Work", on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey("archive.User", null=True, blank=True, on_delete=models.CASCADE)
    # Guests leave kudos too; a salted hash of their address stops repeats without storing it.
    guest_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"], condition=Q(user__isnull=False), name="kudos_user"
            ),
            models.UniqueConstraint(
                fields=["work", "guest_hash"], condition=~Q(guest_hash=""), name="kudos_guest"
            ),
        ]


class Comment(models.Model):
    work = models.ForeignKey("archive.Work", on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey("archive.Chapter", null=True, blank=True, on_delete=models.CASCADE)
    pseud = models.ForeignKey("archive.Pseud", null=True, blank=True, on_delete=models.SET_NULL)
    guest_name = models.CharField(max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField()
    sanitizer_version = models.PositiveSmallIntegerField(default=SANITIZER_VERSION)
    created_at = models.DateTimeField(auto_now_add=True)


class Bookmark(models.Model):
    work = models.ForeignKey("archive.Work", on_delete=models.CASCADE, related_name="bookmarks")
    pseud = models.ForeignKey("archive.Pseud", on_delete=models.CASCADE, related_name="bookmarks")
    notes = models.TextField(blank=True)
    sanitizer_version = models.PositiveSmallIntegerField(default=SANITIZER_VERSION)
    private = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "pseud"], name="bookmark_unique")]


class Subscription(models.Model):
    """A user follows a work (new chapters), a series (new works) or a creator (new works)."""

    user = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="subscriptions")
    work = models.ForeignKey("archive.Work", null=True, blank=True, on_delete=models.CASCADE)
    series = models.ForeignKey("archive.Series", null=True, blank=True, on_delete=models.CASCADE)
    creator = models.ForeignKey(
        "archive.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, series__isnull=True, creator__isnull=True)
                    | Q(work__isnull=True, series__isnull=False, creator__isnull=True)
                    | Q(work__isnull=True, series__isnull=True, creator__isnull=False)
                ),
                name="subscription_one_target",
            )
        ]
