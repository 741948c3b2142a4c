"""Rate limits on the API: every request with a token counts against that token, every other one
against its account (a session) or its client address. Over a limit the answer is a 429 problem
with Retry-After; every answer carries X-RateLimit-Limit, -Remaining and -Reset (seconds), so a
client can pace itself before it is refused.

The limits are written like the site's other limits, in ACCOUNT_RATE_LIMITS ("api" for tokens and
sessions, "api_guest" per address), parsed by allauth's parser and counted in the same cache as
web/ratelimits.py's; the counting differs because allauth's counters do not say what remains."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from fanarchive.archive.api.errors import problem
from fanarchive.archive.web.security import client_ip

API_PREFIX = "/api/v1/"


@dataclass(frozen=True)
class Window:
    limit: int
    remaining: int
    reset: int  # seconds until this window's count starts again


def _caller(request: HttpRequest) -> tuple[str, str]:
    """(which limits apply, whose counter): the token itself (by hash: the cache never holds it),
    else the logged-in account, else the client address."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "api", "token:" + hashlib.sha256(token.strip().encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "api", f"user:{user.pk}"
    return "api_guest", f"ip:{client_ip(request) or 'unknown'}"


def consume(action: str, who: str) -> tuple[bool, Window | None]:
    """Count one request; whether it may go on, and the window closest to its limit."""
    now = time.time()
    tightest: Window | None = None
    allowed = True
    for rate in parse_rates(settings.ACCOUNT_RATE_LIMITS.get(action)):
        duration = int(rate.duration)
        start = int(now // duration) * duration
        key = f"api-rate:{action}:{who}:{duration}:{start}"
        # add() then incr(): atomic on Redis and memcached, so two workers never lose a count.
        cache.add(key, 0, timeout=duration + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=duration + 1)
            used = 1
        window = Window(rate.amount, max(rate.amount - used, 0), max(int(start + duration - now), 1))
        allowed = allowed and used <= rate.amount
        if tightest is None or (window.remaining, -window.reset) < (tightest.remaining, -tightest.reset):
            tightest = window
    return allowed, tightest


class ApiRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        allowed, window = consume(*_caller(request))
        if allowed:
            response = self.get_response(request)
        else:
            assert window is not None  # refused only by some limit
            response = problem(429, f"Too many requests: try again in {window.reset} seconds.")
            response["Retry-After"] = str(window.reset)
        if window is not None:
            response["X-RateLimit-Limit"] = str(window.limit)
            response["X-RateLimit-Remaining"] = str(window.remaining)
            response["X-RateLimit-Reset"] = str(window.reset)
        return response
