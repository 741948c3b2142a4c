"""The author's own dashboard: their works, drafts and scheduled works, series, and the co-creator
invitations waiting for their answer."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from fanarchive.archive.access import (
    access_invitation,
    credited_creatorships,
    owned_series,
    owned_works_by_state,
    pending_invitations,
)
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.creators import do_accept_creatorship, do_decline_creatorship
from fanarchive.archive.models import User


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required let only a logged-in user through
    return user


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    invitations = list(pending_invitations(user).order_by("-id"))
    # Who invited them: the work's credited creators (a pending co-creator names nobody).
    creators: dict[int, list[str]] = defaultdict(list)
    for work_id, name in credited_creatorships([i.work_id for i in invitations]).values_list(
        "work_id", "pseud__name"
    ):
        creators[work_id].append(name)
    return render(
        request,
        "archive/dashboard.html",
        {
            "author": user,
            "default_pseud": user.default_pseud(),
            **owned_works_by_state(user),
            "series": owned_series(user),
            "invitations": [(i, creators[i.work_id]) for i in invitations],
        },
    )


@login_required
@require_POST
def invitation_accept(request: HttpRequest, creatorship_id: int) -> HttpResponse:
    user = _user(request)
    invitation = access_invitation(user, creatorship_id)
    try:
        do_accept_creatorship(invitation, user)
    except ActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You are now a creator of {invitation.work.title}.")
    return redirect("dashboard")


@login_required
@require_POST
def invitation_decline(request: HttpRequest, creatorship_id: int) -> HttpResponse:
    user = _user(request)
    invitation = access_invitation(user, creatorship_id)
    try:
        do_decline_creatorship(invitation, user)
    except ActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You declined to be a creator of {invitation.work.title}.")
    return redirect("dashboard")
