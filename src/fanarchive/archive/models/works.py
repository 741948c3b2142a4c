"""Works and their chapters. HTML fields are stored sanitised, with the sanitizer version that
cleaned them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from fanarchive.domain.sanitize import SANITIZER_VERSION

# AO3's three choices of who may comment on a work.
COMMENT_PERMISSIONS = [("anyone", "Anyone"), ("users", "Logged-in users only"), ("nobody", "Nobody")]


class Work(models.Model):
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    sanitizer_version = models.PositiveSmallIntegerField(default=SANITIZER_VERSION)
    language = models.CharField(max_length=64, blank=True)
    complete = models.BooleanField(default=False)
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    published = models.DateField()
    updated = models.DateField()
    word_count = models.PositiveIntegerField(default=0)
    restricted = models.BooleanField(default=False, help_text="Visible to logged-in users only.")
    posted = models.BooleanField(default=True, help_text="False while the work is a draft.")
    hidden_by_admin = models.BooleanField(default=False)
    # A draft with a time set is posted by the scheduler at that minute (tasks.post_scheduled).
    scheduled_for = models.DateTimeField(null=True, blank=True, db_index=True)
    comment_permission = models.CharField(
        max_length=8, choices=COMMENT_PERMISSIONS, default="anyone", help_text="Who may comment."
    )
    moderate_comments = models.BooleanField(
        default=False, help_text="Comments appear only once a creator approves them."
    )

    # Where the work came from, so that importing it again updates it instead of duplicating it.
    source_format = models.CharField(max_length=40, blank=True)
    source_site = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    source_id = models.CharField(max_length=100, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # A hash of the chapters' text alone: a source with no id (a file renamed, a copy in a zip) is
    # the same work when its text is, whatever its file name or metadata say.
    text_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # What the source said that has no column: prompt, table of contents, unmapped fields, doubts.
    source_extra = models.JSONField(default=dict, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_format", "source_site", "source_id"],
                condition=~Q(source_id=""),
                name="work_unique_source_id",
            )
        ]
        indexes = [
            models.Index(fields=["-updated", "-id"]),
            models.Index(fields=["source_url"]),
            # An import without source id or URL looks its work up by title and byline.
            models.Index(fields=["title"]),
            # An import looks its work up by source id and site: the unique index above is partial
            # and leads with the format, so no such query can use it (it scanned the table).
            models.Index(fields=["source_id", "source_site"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def chapter_count(self) -> int:
        return self.chapters.filter(posted=True).count()


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    body = models.TextField()
    sanitizer_version = models.PositiveSmallIntegerField(default=SANITIZER_VERSION)
    word_count = models.PositiveIntegerField(default=0)
    published = models.DateField(null=True, blank=True)
    posted = models.BooleanField(default=True)
    # A chapter draft with a time set is posted by the scheduler at that minute.
    scheduled_for = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "position"], name="chapter_unique_position")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"Chapter {self.position}" + (f": {self.title}" if self.title else "")


class StatCounter(models.Model):
    """Counters live apart from the work row so that counting a hit never rewrites the work."""

    work = models.OneToOneField(Work, on_delete=models.CASCADE, primary_key=True, related_name="stats")
    hits = models.PositiveIntegerField(default=0)
    kudos = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    bookmarks = models.PositiveIntegerField(default=0)


class RelatedWork(models.Model):
    RELATIONS = [
        ("inspired_by", "Inspired by"),
        ("inspired", "Inspired"),
        ("translation_of", "Translation of"),
        ("translated_as", "Translated as"),
    ]

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="related")
    relation = models.CharField(max_length=20, choices=RELATIONS)
    # The other work when it is in this archive; otherwise only what the source said of it.
    target = models.ForeignKey(Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=255)
    url = models.URLField(max_length=500, blank=True)
    authors = models.CharField(max_length=500, blank=True)
