"""The origin absolute links are written with (feeds, OPDS, downloads, mail).

`FANARCHIVE_SITE_URL` names the public origin outright. Without it the origin is the one the reader
asked for: the request's scheme and host, checked against `ALLOWED_HOSTS` by Django's `get_host()`,
with a TLS proxy's `X-Forwarded-Proto` (and, where `FANARCHIVE_PROXY_HOST_HEADER` is on, its
`X-Forwarded-Host`) honoured. So a site served on another host or port links to
itself without anyone configuring it, and a feed fetched through a proxy links back through it.

Outside a request (the CLI's exports, mail sent by the worker) there is no reader to ask:
`FALLBACK_ORIGIN`, which is where `fanarchive serve` listens by default."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FALLBACK_ORIGIN = "http://127.0.0.1:8000"

_request_origin: ContextVar[str] = ContextVar("request_origin", default="")


def site_url() -> str:
    """The origin for absolute links, without a trailing slash."""
    return settings.SITE_URL or _request_origin.get() or FALLBACK_ORIGIN


def absolute_url(path: str) -> str:
    return site_url() + path


class SiteOriginMiddleware:
    """Records the request's origin for the code that builds absolute links, for this request only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SITE_URL:
            return self.get_response(request)
        # get_host() raises DisallowedHost (a 400) for a host outside ALLOWED_HOSTS, so a forged
        # Host header can never end up in a link.
        token = _request_origin.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)
