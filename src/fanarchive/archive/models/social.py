"""What readers leave on works. The counts shown in listings are in StatCounter."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from fanarchive.domain.sanitize import SANITIZER_VERSION


class Kudos(models.Model):
    work = models.ForeignKey("archive.Work", on_delete=models.CASCADE, related_name="kudos")
    # A deleted account's kudos stay, as a guest's (AO3 keeps the count when an account goes).
    user = models.ForeignKey("archive.User", null=True, blank=True, on_delete=models.SET_NULL)
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
    # A guest's address, for replies to reach them; never shown.
    guest_email = models.EmailField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField()
    sanitizer_version = models.PositiveSmallIntegerField(default=SANITIZER_VERSION)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Deleted with replies below it: the body goes, the place in the thread stays.
    deleted = models.BooleanField(default=False)
    # Held for the creator's approval when the work moderates comments.
    approved = models.BooleanField(default=True)
    frozen = models.BooleanField(default=False, help_text="No more replies in this thread.")
    hidden_as_spam = models.BooleanField(default=False)
    hidden_by_admin = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["work", "parent", "created_at"])]


class ExternalWork(models.Model):
    """A work that lives elsewhere, bookmarked here: what the bookmarker said of it."""

    title = models.CharField(max_length=255)
    url = models.URLField(max_length=500)
    creator = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    sanitizer_version = models.PositiveSmallIntegerField(default=SANITIZER_VERSION)
    fandoms = models.ManyToManyField("archive.Tag", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class Bookmark(models.Model):
    """A bookmark of one work here, one series here, or one external work."""

    work = models.ForeignKey(
        "archive.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    series = models.ForeignKey(
        "archive.Series", null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    external = models.ForeignKey(
        ExternalWork, null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    pseud = models.ForeignKey("archive.Pseud", on_delete=models.CASCADE, related_name="bookmarks")
    notes = models.TextField(blank=True)
    sanitizer_version = models.PositiveSmallIntegerField(default=SANITIZER_VERSION)
    private = models.BooleanField(default=False)
    rec = models.BooleanField(default=False, help_text="A recommendation.")
    # The bookmarker's own tags, apart from the work's.
    tags = models.ManyToManyField("archive.Tag", blank=True, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["work", "pseud"], condition=Q(work__isnull=False), name="bookmark_unique"
            ),
            models.UniqueConstraint(
                fields=["series", "pseud"], condition=Q(series__isnull=False), name="bookmark_series_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, series__isnull=True, external__isnull=True)
                    | Q(work__isnull=True, series__isnull=False, external__isnull=True)
                    | Q(work__isnull=True, series__isnull=True, external__isnull=False)
                ),
                name="bookmark_one_target",
            ),
        ]


class Subscription(models.Model):
    """A user follows a work (new chapters), a series (new works), a creator (new works) or a tag
    (new works filed under it: its synonyms and sub tags too)."""

    user = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="subscriptions")
    work = models.ForeignKey("archive.Work", null=True, blank=True, on_delete=models.CASCADE)
    series = models.ForeignKey("archive.Series", null=True, blank=True, on_delete=models.CASCADE)
    creator = models.ForeignKey(
        "archive.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tag = models.ForeignKey("archive.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, series__isnull=True, creator__isnull=True, tag__isnull=True)
                    | Q(work__isnull=True, series__isnull=False, creator__isnull=True, tag__isnull=True)
                    | Q(work__isnull=True, series__isnull=True, creator__isnull=False, tag__isnull=True)
                    | Q(work__isnull=True, series__isnull=True, creator__isnull=True, tag__isnull=False)
                ),
                name="subscription_one_target",
            )
        ]
