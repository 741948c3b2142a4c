"""Personal access tokens for the API: created (the plaintext shown once, only its SHA-256 kept),
revoked, and marked as used."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from fanarchive.archive.actions import ActionError
from fanarchive.archive.models import ApiToken, User
from fanarchive.archive.models.api import TOKEN_SCOPES

# Tokens start with this, so secret scanners (and people) can tell a fanarchive token at a glance.
TOKEN_PREFIX = "fa_"
# How many characters of the plaintext the settings page shows, to tell tokens apart.
SHOWN_CHARACTERS = 10
MAX_TOKENS_PER_USER = 50
# last_used_at is written at most this often: one write per request would make every read a write.
USE_GRANULARITY = dt.timedelta(minutes=1)


def token_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def check_create_api_token(
    user: User, name: str, scopes: Iterable[str], expires_at: dt.datetime | None
) -> list[str]:
    """The scopes, in TOKEN_SCOPES order, or ActionError saying what is wrong."""
    wanted = set(scopes)
    if not name.strip():
        raise ActionError("A token needs a name.")
    if len(name) > 100:
        raise ActionError("A token's name is at most 100 characters.")
    if not wanted:
        raise ActionError("A token needs at least one scope.")
    if unknown := wanted - set(TOKEN_SCOPES):
        raise ActionError(f"Unknown scope: {', '.join(sorted(unknown))}.")
    if "admin" in wanted and not user.is_staff:
        raise ActionError("Only staff may create a token with the admin scope.")
    if expires_at is not None and expires_at <= timezone.now():
        raise ActionError("A token's expiry must be in the future.")
    if ApiToken.objects.filter(user=user, revoked_at=None).count() >= MAX_TOKENS_PER_USER:
        raise ActionError(f"You have {MAX_TOKENS_PER_USER} tokens already: revoke one first.")
    return [scope for scope in TOKEN_SCOPES if scope in wanted]


def do_create_api_token(
    user: User, name: str, scopes: Iterable[str], expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """The new token and its plaintext, which is never stored and cannot be shown again."""
    ordered = check_create_api_token(user, name, scopes, expires_at)
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip(),
            token_hash=token_hash(plaintext),
            prefix=plaintext[:SHOWN_CHARACTERS],
            scopes=" ".join(ordered),
            expires_at=expires_at,
        )
    return token, plaintext


def do_revoke_api_token(user: User, token_id: int) -> bool:
    """Revoke one of `user`'s own tokens; False when there is no such live token of theirs."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token_id, user=user, revoked_at=None).update(
            revoked_at=timezone.now()
        )
    return revoked == 1


def do_note_token_use(token: ApiToken) -> None:
    """Record that `token` was used now, unless that was recorded less than a minute ago."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < USE_GRANULARITY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
