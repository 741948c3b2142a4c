"""The account pages allauth has none of: change user name, delete account, and the invitation
queue's two pages (join it; follow an invitation's link)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fanarchive.archive.accounts import invitations
from fanarchive.archive.accounts.forms import ChangeUsernameForm, DeleteAccountForm, InvitationRequestForm
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.accounts import (
    check_invitation,
    do_change_username,
    do_delete_account,
    do_request_invitation,
)
from fanarchive.archive.models import User


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def change_username(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ChangeUsernameForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_username(user, form.cleaned_data["username"])
        except ActionError as error:  # taken meanwhile
            form.add_error("username", str(error))
        else:
            messages.success(request, f"Your user name is now {user.username}.")
            return HttpResponseRedirect(reverse("account_change_username"))
    return render(request, "account/change_username.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["works"]
        do_delete_account(user, orphan_works=choice != "delete", keep_pseud=choice == "orphan_keep_pseud")
        logout(request)
        messages.success(request, "Your account has been deleted.")
        return HttpResponseRedirect(reverse("home"))
    return render(request, "account/delete.html", {"form": form})


@require_http_methods(["GET", "POST"])
def invitation_request(request: HttpRequest) -> HttpResponse:
    """Join the queue. The answer is the same whether or not the address has an account already, so
    the page tells nobody who is a member."""
    if settings.SIGNUP_MODE != "invite":
        raise Http404
    form = InvitationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_request_invitation(form.cleaned_data["email"])
        return render(request, "account/invitation_requested.html", {"email": form.cleaned_data["email"]})
    return render(request, "account/invitation_request.html", {"form": form})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation's link: remembered in the session, then on to sign-up, which it opens."""
    if settings.SIGNUP_MODE != "invite":
        raise Http404
    try:
        check_invitation(token)
    except ActionError:
        return render(request, "account/invitation_invalid.html", status=404)
    request.session[invitations.SESSION_KEY] = token
    return HttpResponseRedirect(reverse("account_signup"))
