"""Claims on imported works: an archivist's import credits external author names to accounts that
nobody can log into (User.imported); their author takes them over by a link e-mailed to the address
the source held, or by staff approval (as AO3's Open Doors does)."""

from __future__ import annotations

from django.db import models

CLAIM_STATES = [
    ("pending", "Waiting for staff"),
    ("sent", "Link sent"),
    ("claimed", "Claimed"),
    ("refused", "Refused"),
]


class Claim(models.Model):
    imported = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="claims")
    # The account the works move to; empty until someone logged in asks or follows the link.
    claimant = models.ForeignKey(
        "archive.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(blank=True)
    # A keyed hash of the e-mailed token, so the table never holds a usable link.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    state = models.CharField(max_length=8, choices=CLAIM_STATES, default="pending")
    message = models.TextField(blank=True, help_text="What the claimant told staff.")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
