from __future__ import annotations

from django.db import models


class SearchOutbox(models.Model):
    """Works whose search document is stale. Written in the same transaction as the change, so an
    update can never be lost between the database and the index; the indexer drains it."""

    work_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
