"""CSRF tokens in cached pages. A page being stored gets a placeholder where `{% csrf_token %}` would
put the reader's token; each response, fresh or from the cache, gets the placeholder replaced by a
token for the reader it goes to (masked anew, as Django does, so compression can't reveal it)."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token


def placeholder() -> str:
    """Derived from the site's secret key, so no author can write it into a work or a comment and
    have each reader's token filled into their text (an image's address, say, sending it away)."""
    return _placeholder(settings.SECRET_KEY)


@cache
def _placeholder(secret: str) -> str:
    return "csrf-" + hmac.new(secret.encode(), b"fanarchive page cache csrf", hashlib.sha256).hexdigest()[:32]


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """A context processor: runs after Django's own, so its `csrf_token` wins on pages being stored."""
    if getattr(request, "page_cache_storing", False):
        return {"csrf_token": placeholder()}
    return {}


def fill_tokens(request: HttpRequest, content: bytes) -> bytes:
    marker = placeholder().encode()
    if marker not in content:
        return content
    # get_token() also marks the reader's CSRF cookie to be sent with this response. One masked
    # token serves every form of the response, as `{% csrf_token %}` does in one render.
    return content.replace(marker, get_token(request).encode())
