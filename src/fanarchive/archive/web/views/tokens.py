"""/settings/tokens: a member's personal access tokens for the API: the list, a new one (its
secret shown on this one answer only, never stored) and revoking one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.api_tokens import do_create_api_token, do_revoke_api_token
from fanarchive.archive.models import ApiToken, User
from fanarchive.archive.web.forms.tokens import TokenForm


@login_required
@require_http_methods(["GET", "POST"])
def token_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    form = TokenForm(request.POST if request.POST.get("action") == "create" else None)
    created = ""
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token_id = request.POST.get("token", "")
        if token_id.isdigit() and do_revoke_api_token(user, int(token_id)):
            messages.success(request, "The token is revoked: it no longer answers.")
        return redirect("token_settings")
    if request.method == "POST" and form.is_valid():
        try:
            _, created = do_create_api_token(
                user, form.cleaned_data["name"], form.cleaned_data["scopes"], form.expires_at()
            )
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            # Shown on this answer alone: the page never has it again.
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=user, revoked_at=None).order_by("-created_at", "-id")
    response = render(request, "archive/tokens.html", {"form": form, "tokens": tokens, "created": created})
    if created:
        response["Cache-Control"] = "no-store"
    return response
