"""ETags on logged-in members' pages, so a member's browser revalidating a page it holds gets 304.

Django's ConditionalGetMiddleware would hash the body as it is, but every response masks its CSRF
tokens anew (the BREACH mitigation), so a page with a form never hashed the same twice and never
earned a 304. Here the tokens are left out of the hash and the member's CSRF secret and session
are put in: a kept copy is reused only by the same member in the same session, whose cookie its
tokens still match. The page is still made in full; what is saved is sending it.

No Last-Modified: no single time covers what a page shows (a work's modified_at does not move for
a comment, a kudos or a renamed tag), and If-Modified-Since on it would answer 304 for a changed
page. The ETag is of the page itself, so it is exact."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_MASKED_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')


def member_etag(request: HttpRequest, body: bytes) -> str:
    digest = hashlib.sha256(_MASKED_TOKEN.sub(rb"\1\2", body))
    for part in (
        str(request.user.pk),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""),
    ):
        digest.update(b"\0" + part.encode())
    return '"m-' + digest.hexdigest()[:32] + '"'


def _changes_cookies(request: HttpRequest, response: HttpResponse) -> bool:
    """A new CSRF secret or a rotated session: a copy kept under the old cookies shows other forms.
    (Django sends the same CSRF cookie again on every page with a form, to renew its expiry.)"""
    return any(request.COOKIES.get(name) != morsel.value for name, morsel in response.cookies.items())


class MemberETagMiddleware:
    """Inside ConditionalGetMiddleware, which compares the ETag set here with If-None-Match."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)  # static files are answered before authentication
        if (
            request.method in ("GET", "HEAD")
            and user is not None
            and user.is_authenticated
            and response.status_code == 200
            and not response.streaming
            and not response.has_header("ETag")
            and not _changes_cookies(request, response)
        ):
            response["ETag"] = member_etag(request, response.content)
        return response
