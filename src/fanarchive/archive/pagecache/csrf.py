"""CSRF tokens in cached pages. A page being stored gets a placeholder where `{% csrf_token %}` would
put the reader's token; each response, fresh or from the cache, gets the placeholder replaced by a
token for the reader it goes to (masked anew, as Django does, so compression can't reveal it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token

PLACEHOLDER = "fanarchive-csrf-placeholder-9f2c"


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """A context processor: runs after Django's own, so its `csrf_token` wins on pages being stored."""
    if getattr(request, "page_cache_storing", False):
        return {"csrf_token": PLACEHOLDER}
    return {}


def fill_tokens(request: HttpRequest, content: bytes) -> bytes:
    marker = PLACEHOLDER.encode()
    if marker not in content:
        return content
    # get_token() also marks the reader's CSRF cookie to be sent with this response. One masked
    # token serves every form of the response, as `{% csrf_token %}` does in one render.
    return content.replace(marker, get_token(request).encode())
