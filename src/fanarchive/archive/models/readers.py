"""What a reader keeps for themselves: preferences, reading history, saved exclusions, mutes and
blocks, their inbox, and reports to staff."""

from __future__ import annotations

from django.db import models

EMAIL_FREQUENCIES = [
    ("immediate", "As it happens"),
    ("daily", "Daily digest"),
    ("weekly", "Weekly digest"),
    ("never", "Never"),
]


class Preferences(models.Model):
    user = models.OneToOneField("archive.User", on_delete=models.CASCADE, related_name="preferences")
    email_frequency = models.CharField(max_length=10, choices=EMAIL_FREQUENCIES, default="immediate")
    history_enabled = models.BooleanField(default=True)
    # The secret in the private Atom feed's URL; a new one revokes the old (empty: no feed).
    feed_token = models.CharField(max_length=64, blank=True, db_index=True)
    # Saved exclusions beyond tags and creators (ExcludedTag, Mute): applied to every listing.
    excluded_languages = models.JSONField(default=list, blank=True)
    exclude_crossovers = models.BooleanField(default=False)
    words_from = models.PositiveIntegerField(null=True, blank=True)
    words_to = models.PositiveIntegerField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)


class ReadingHistory(models.Model):
    user = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="history")
    work = models.ForeignKey("archive.Work", on_delete=models.CASCADE, related_name="+")
    last_chapter = models.PositiveIntegerField(default=1)
    visits = models.PositiveIntegerField(default=1)
    marked_for_later = models.BooleanField(default=False)
    last_read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "work"], name="history_unique")]
        indexes = [models.Index(fields=["user", "-last_read_at"])]


class ExcludedTag(models.Model):
    """A tag a user never wants to see: its synonyms and sub tags go with it."""

    user = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="excluded_tags")
    tag = models.ForeignKey("archive.Tag", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="excluded_tag_unique")]


class Mute(models.Model):
    """`user` no longer sees `muted`'s works, bookmarks or comments, anywhere."""

    user = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="mutes")
    muted = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "muted"], name="mute_unique")]


class Block(models.Model):
    """`blocked` may not comment on, reply to or leave kudos on `user`'s works, nor invite them."""

    user = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "blocked"], name="block_unique")]


INBOX_KINDS = [
    ("chapter", "New chapter"),
    ("work", "New work"),
    ("comment", "Comment"),
    ("reply", "Reply"),
]


class InboxItem(models.Model):
    """One notification for one user: shown in the inbox, mailed (at once or in a digest) and listed
    in their private feed."""

    user = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="inbox")
    kind = models.CharField(max_length=10, choices=INBOX_KINDS)
    work = models.ForeignKey(
        "archive.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    chapter = models.ForeignKey(
        "archive.Chapter", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "archive.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Why it came: the subscription (empty for comments on one's own works and replies).
    subscription = models.ForeignKey(
        "archive.Subscription", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["emailed_at", "user"]),
        ]


REPORT_STATES = [("open", "Open"), ("hidden", "Hidden"), ("dismissed", "Dismissed")]


class Report(models.Model):
    """A work or comment reported to staff."""

    reporter = models.ForeignKey(
        "archive.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A guest reporter's keyed client hash (never the address), for rate limits.
    guest_hash = models.CharField(max_length=64, blank=True)
    work = models.ForeignKey(
        "archive.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "archive.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    state = models.CharField(max_length=10, choices=REPORT_STATES, default="open")
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        "archive.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
