"""allauth's adapters: who may sign up (FANARCHIVE_SIGNUP), and the QR code drawn inline."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from fanarchive.archive.accounts import invitations
from fanarchive.archive.models import User
from fanarchive.archive.web.security import client_ip


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    def get_client_ip(self, request: HttpRequest) -> str:
        """The address rate limits count against: the one the log-in throttle counts (behind the TLS
        proxy, the address the proxy saw rather than the proxy's own)."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("no client address")
        return address

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """open: anyone; closed: nobody (allauth answers the "sign-up closed" page); invite: whoever
        came through an invitation's link that is still unused."""
        if settings.SIGNUP_MODE == "open":
            return True
        if settings.SIGNUP_MODE == "invite":
            return invitations.pending_in_session(request) is not None
        return False

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit and settings.SIGNUP_MODE == "invite" and isinstance(user, User):
            invitations.use_from_session(request, user)
        return user


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def build_totp_svg(self, url: str) -> str:
        # Drawn inside the page: the XML declaration has no place in HTML.
        svg = str(super().build_totp_svg(url))
        return svg[svg.index("<svg") :]
