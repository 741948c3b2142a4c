from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from fanarchive.archive.models import User
from fanarchive.archive.notify.inbox import unread_count


def site(request: HttpRequest) -> dict[str, str]:
    return {"site_name": settings.SITE_NAME, "signup_mode": settings.SIGNUP_MODE}


def inbox(request: HttpRequest) -> dict[str, object]:
    """The header's unread count: a callable, so that only a page that shows it counts."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {"inbox_unread": lambda: unread_count(user)}
