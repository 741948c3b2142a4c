"""The log-in throttle's wiring into django-axes: which address a request comes from, what a locked-out
client is told, and leaving log-ins made in code (tests, the command line) alone."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse


class LoginThrottleBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes ships no types
    """axes' backend refuses to work without a request; a log-in made in code has no client to
    throttle, so it is passed on to the next backend instead of failing."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None:
            # Raises when the client or user name is locked out; otherwise lets ModelBackend decide.
            super().authenticate(request, username, password, **kwargs)
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address failures are counted against. Behind the TLS proxy (FANARCHIVE_SECURE) every
    request comes from the proxy, so the address the proxy saw, the last X-Forwarded-For entry
    (the one it appended), is used; without a proxy the header is the client's to forge and is ignored."""
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if getattr(settings, "SECURE", False) and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429 Too Many Requests with Retry-After, so a client (or a person) knows when to try again."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 3600
    response = HttpResponse(
        f"Too many failed log-ins. Try again in {max(seconds // 60, 1)} minutes.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(seconds)
    return response
