"""What the public API keeps: personal access tokens, webhooks and their deliveries, and the jobs an
API client starts (an import of uploaded files, an export) and polls."""

from __future__ import annotations

from django.db import models

# A token's scopes, as AO3's users asked for them: reading, acting as the user, importing, staff work.
TOKEN_SCOPES = ("read", "write", "import", "admin")


class ApiToken(models.Model):
    user = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The token is shown once; only its SHA-256 is kept, and its first characters to tell tokens apart.
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)
    # Space-separated names from TOKEN_SCOPES.
    scopes = models.CharField(max_length=100, default="read")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Webhook(models.Model):
    """A user's endpoint: a signed POST when something they subscribe to gets a new work or chapter."""

    user = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    # The key of the HMAC-SHA256 signature sent with each delivery.
    secret = models.CharField(max_length=64)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)


class WebhookDelivery(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    # "pending", "delivered" or "failed" (after the last retry).
    status = models.CharField(max_length=12, default="pending", db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)


class ApiJob(models.Model):
    """An import or export an API client started: `outcome` holds the per-file results (import) or
    the file's name and size (export), `status` moves queued → running → done | failed."""

    KINDS = [("import", "Import"), ("export", "Export")]
    # An opaque id for URLs, so job numbers don't tell how busy the archive is.
    public_id = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey("archive.User", on_delete=models.CASCADE, related_name="api_jobs")
    kind = models.CharField(max_length=8, choices=KINDS)
    status = models.CharField(max_length=12, default="queued")
    request = models.JSONField(default=dict)
    outcome = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
