"""Too many requests: what allauth's rate limits and django-axes answer, both 429 with Retry-After."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from fanarchive.archive.models import User


def login_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The name axes counts failures under: the admin's `username`, or what was typed into the site's
    `login` field (a user name or an address), folded to lower case as allauth matches it."""
    credentials = credentials or {}
    typed = credentials.get("username") or credentials.get("email")
    if not typed:
        data = request.POST if request.method == "POST" else {}
        typed = data.get("login") or data.get("username")
    if not typed:
        return None
    name = str(typed).strip().lower()
    if "@" in name:
        # One account, one counter: guesses by address and by user name add up.
        owner = (
            User.objects.filter(emailaddress__email__iexact=name).values_list("username", flat=True).first()
        )
        name = owner.lower() if owner else name
    return name


# allauth's page name -> the rate limit its views consume.
_ACTION_OF_PAGE = {
    "account_login": "login",
    "account_signup": "signup",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_change_password": "change_password",
    "account_set_password": "change_password",
    "account_email": "manage_email",
    "account_reauthenticate": "reauthenticate",
}


def retry_after_seconds(request: HttpRequest) -> int:
    """allauth does not say which limit was hit: the longest window of the page's limits (of all
    limits, on a page not known here) is when its counters have surely emptied."""
    limits: Mapping[str, str | None] = settings.ACCOUNT_RATE_LIMITS
    page = request.resolver_match.url_name if request.resolver_match else None
    action = _ACTION_OF_PAGE.get(page or "")
    specs = [limits.get(action)] if action else list(limits.values())
    return int(max((rate.duration for spec in specs for rate in parse_rates(spec)), default=60))


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """allauth's 429 handler (it looks for `handler429` in the root URLconf): the site's page."""
    seconds = retry_after_seconds(request)
    response = TemplateResponse(
        request, "429.html", {"minutes": max(seconds // 60, 1), "seconds": seconds}, status=429
    )
    response.render()
    response["Retry-After"] = str(seconds)
    return response
