"""Claiming imported works: the request from an imported author's page, and the e-mailed link."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.archive.access import access_user, crediting, visible_works
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.claims import (
    CLAIM_LINK_DAYS,
    check_confirm_claim,
    do_confirm_claim,
    do_request_claim,
    find_claim,
)
from fanarchive.archive.models import User


class ClaimForm(forms.Form):
    message = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For staff, when the archive holds no e-mail address for this author: how they can "
        "tell these works are yours (another site you posted them on, say).",
    )


def _member(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _masked(address: str) -> str:
    # Enough for the author to recognise their old address, too little to harvest it.
    name, _at, domain = address.partition("@")
    return f"{name[:1]}…@{domain}"


@login_required
def claim_request(request: HttpRequest, username: str) -> HttpResponse:
    author = access_user(request.user, username)
    if not author.imported:
        raise Http404("No such user")
    member = _member(request)
    form = ClaimForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {
        "author": author,
        "form": form,
        "work_count": visible_works(request.user).filter(crediting(pseud__user=author)).count(),
        "has_email": bool(author.source_email),
    }
    if request.method == "POST" and form.is_valid():
        try:
            sent = do_request_claim(author, member, form.cleaned_data["message"])
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            context["sent"] = sent
            context["masked_email"] = _masked(sent.claim.email) if sent.emailed else ""
            context["days"] = CLAIM_LINK_DAYS
    return render(request, "archive/claim.html", context)


@login_required
def claim_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows what would happen (mail scanners open links); the POST moves the works."""
    member = _member(request)
    error = ""
    claim = None
    try:
        claim = find_claim(token)
        check_confirm_claim(claim, member)
        if request.method == "POST":
            claim = do_confirm_claim(token, member)
    except ActionError as refused:
        error = str(refused)
    status = 400 if error else 200
    return render(
        request,
        "archive/claim_confirm.html",
        {"claim": None if error else claim, "error": error, "done": not error and request.method == "POST"},
        status=status,
    )
