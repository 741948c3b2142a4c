"""Who is calling: a personal access token (`Authorization: Bearer fa_…`), the site's session
(with CSRF on unsafe methods, for the site's own JavaScript), or nobody (anonymous reads).

A request with a token that is unknown, revoked or expired is refused (401) rather than served
as anonymous, so a client notices a dead token at once. Scopes: a token carries the ones chosen
when it was made; a session acts with every scope its account may hold (admin for staff)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from fanarchive.archive.access import Viewer
from fanarchive.archive.actions.api_tokens import do_note_token_use, token_hash
from fanarchive.archive.models import ApiToken, User

SESSION_SCOPES = frozenset({"read", "write", "import"})


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=token_hash(token.strip()), revoked_at=None)
            .first()
        )
        if found is None or not found.user.is_active:
            raise AuthenticationError(401, "The token is unknown or revoked.")
        if found.expires_at is not None and found.expires_at <= timezone.now():
            raise AuthenticationError(401, "The token has expired.")
        do_note_token_use(found)
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


def _anonymous(request: HttpRequest) -> AnonymousUser:
    # Tried last: no token and no session is an anonymous reader, who may read public works.
    return AnonymousUser()


# Order matters: a token wins over a session cookie sent alongside it.
API_AUTH: list[Callable[[HttpRequest], Any]] = [TokenAuth(), SessionAuth(csrf=True), _anonymous]


# For operations anyone may call: ninja adds this empty requirement to the token and session
# ones, which makes either optional in the document.
PUBLIC_READ: dict[str, Any] = {"security": [{}]}


def scopes_of(request: HttpRequest) -> frozenset[str]:
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is not None:
        return frozenset(token.scopes.split())
    user = getattr(request, "auth", None)
    if isinstance(user, User) and user.is_authenticated:
        return SESSION_SCOPES | ({"admin"} if user.is_staff else set())
    return frozenset()


def viewer(request: HttpRequest) -> Viewer:
    """Whom the read endpoints answer as. A token without the read scope may not read (403):
    reading as anonymous instead would hide that the token is wrong."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        return AnonymousUser()
    if "read" not in scopes_of(request):
        raise HttpError(403, "This token lacks the “read” scope.")
    return user


def require_scope(request: HttpRequest, scope: str) -> User:
    """The calling account, when it may act with `scope`; else 401 (nobody) or 403 (no scope)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User) or not user.is_authenticated:
        raise AuthenticationError(401, "This needs a token or a logged-in session.")
    if scope not in scopes_of(request):
        raise HttpError(403, f"This token lacks the “{scope}” scope.")
    return user
