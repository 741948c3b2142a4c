"""The invitation queue (FANARCHIVE_SIGNUP=invite), as AO3's: visitors leave an address, staff send
invitations (`fanarchive invite`), and the e-mailed link opens sign-up once."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.accounts import check_invitation, do_mark_invitation_sent, do_use_invitation
from fanarchive.archive.models import Invitation, User
from fanarchive.archive.site_origin import absolute_url

SESSION_KEY = "fanarchive_invitation"


def invitation_url(invitation: Invitation) -> str:
    return absolute_url(reverse("signup_invitation", args=[invitation.token]))


def send_invitation(invitation: Invitation) -> None:
    """Mail the link, then record it sent (a failed send leaves it in the queue)."""
    context = {"site_name": settings.SITE_NAME, "url": invitation_url(invitation)}
    send_mail(
        render_to_string("account/email/invitation_subject.txt", context).strip(),
        render_to_string("account/email/invitation_message.txt", context),
        None,
        [invitation.email],
    )
    do_mark_invitation_sent(invitation)


def queued(limit: int | None = None) -> list[Invitation]:
    """The queue: asked for, not sent yet, oldest first."""
    waiting = Invitation.objects.filter(requested=True, sent_at__isnull=True).order_by("created_at", "id")
    return list(waiting[:limit] if limit else waiting)


def pending_in_session(request: HttpRequest) -> Invitation | None:
    token = request.session.get(SESSION_KEY)
    if not token:
        return None
    try:
        return check_invitation(str(token))
    except ActionError:
        return None


def use_from_session(request: HttpRequest, user: User) -> None:
    token = request.session.pop(SESSION_KEY, None)
    if token:
        do_use_invitation(str(token), user)
