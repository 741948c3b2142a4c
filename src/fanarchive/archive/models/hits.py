from __future__ import annotations

from django.db import models


class WorkHit(models.Model):
    """One visitor's view of a work on one day: a hit counts once per visitor per work per day.
    `visitor` is a keyed hash, never the address itself; rows older than a day can be purged."""

    work = models.ForeignKey("archive.Work", on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=64)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "visitor", "day"], name="work_hit_unique")]
