"""What accounts need beyond allauth's own tables: invitations, for archives whose sign-up is by
invitation (AO3's invite queue)."""

from __future__ import annotations

from django.db import models


class Invitation(models.Model):
    """An invitation to sign up. Made by staff, or asked for by a visitor who joins the queue
    (`requested`); `token` is what the e-mailed link carries, used once."""

    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    requested = models.BooleanField(default=False, help_text="Asked for through the queue.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        "archive.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["requested", "sent_at", "created_at"])]
