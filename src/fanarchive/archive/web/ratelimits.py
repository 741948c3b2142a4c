"""Rate limits on what readers create (kudos, and the like): allauth's counters, so the limits
live beside the account ones in ACCOUNT_RATE_LIMITS and count in the same cache. Over a limit the
answer is the site's 429 page with Retry-After."""

from __future__ import annotations

from allauth.core import ratelimit
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def limit_reached(request: HttpRequest, action: str) -> HttpResponse | None:
    """Count this POST against `action`'s limits; the 429 to answer with when one is spent.
    An action's limits name `user` for members and `ip` for guests (allauth refuses `user` for a
    guest), so callers pick e.g. "kudos" or "kudos_guest"."""
    if ratelimit.consume(request, action=action):
        return None
    spec: str | None = settings.ACCOUNT_RATE_LIMITS.get(action)
    # The longest window is when every counter of this action has surely emptied.
    seconds = int(max((rate.duration for rate in parse_rates(spec)), default=60))
    response = TemplateResponse(
        request, "429.html", {"minutes": max(seconds // 60, 1), "seconds": seconds}, status=429
    )
    response.render()
    response["Retry-After"] = str(seconds)
    return response
