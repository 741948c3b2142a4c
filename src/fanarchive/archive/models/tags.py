"""Tags of AO3's seven kinds, with wrangling: canonical tags, synonyms (a merger), fandom parents,
meta/sub tags, and FilterTagging, the denormalised table listings filter on."""

from __future__ import annotations

from django.db import models

from fanarchive.domain.tags import TAG_KINDS, TagKind

KIND_CHOICES = [(kind.value, kind.label) for kind in TAG_KINDS]


class Tag(models.Model):
    name = models.CharField(max_length=150)
    # tag_key(name): AO3 treats names differing only in case or spacing as one tag.
    key = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    canonical = models.BooleanField(default=False)
    # Set on a synonym: the canonical tag it is filed under.
    merger = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="synonyms"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "canonical"])]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tag_kind(self) -> TagKind:
        return TagKind(self.kind)


class TagParent(models.Model):
    """A fandom a character, relationship or freeform tag belongs to (AO3's common tagging)."""

    child = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="child_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "parent"], name="tag_parent_unique")]


class MetaTagging(models.Model):
    """`meta` is the broader tag: works tagged with `sub` also turn up under `meta`."""

    meta = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="sub_links")
    sub = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="meta_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meta", "sub"], name="meta_tagging_unique")]


class Tagging(models.Model):
    """A tag as the creator put it on the work."""

    work = models.ForeignKey("archive.Work", on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="taggings")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="tagging_unique")]
        ordering = ["position", "id"]


class FilterTagging(models.Model):
    """What a work is found under: the filter tag of each direct tag (its merger for a synonym,
    else itself) and, marked inherited, every meta tag above those. Only actions write it."""

    work = models.ForeignKey("archive.Work", on_delete=models.CASCADE, related_name="filter_taggings")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="filter_taggings")
    inherited = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="filter_tagging_unique")]
        indexes = [models.Index(fields=["tag", "work"])]
