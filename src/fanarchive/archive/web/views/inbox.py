"""A user's inbox: new chapters and works from their subscriptions, comments on their works and
replies to their comments; marking read, deleting; how often they are e-mailed; their private feed's
secret address."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.notifications import (
    do_delete_inbox_items,
    do_mark_all_read,
    do_mark_read,
    do_new_feed_token,
    do_revoke_feed_token,
    do_set_email_frequency,
)
from fanarchive.archive.models import Preferences, User
from fanarchive.archive.models.readers import EMAIL_FREQUENCIES
from fanarchive.archive.notify.describe import describe
from fanarchive.archive.notify.inbox import inbox_items
from fanarchive.archive.site_origin import absolute_url

PAGE_SIZE = 50


class ItemsForm(forms.Form):
    items = forms.TypedMultipleChoiceField(coerce=int, required=False)
    all = forms.BooleanField(required=False)

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Only the user's own items are choices: any other id is refused as invalid.
        choices = [(pk, pk) for pk in inbox_items(user).values_list("pk", flat=True)]
        self.fields["items"].choices = choices  # type: ignore[attr-defined]


class FrequencyForm(forms.Form):
    email_frequency = forms.ChoiceField(choices=EMAIL_FREQUENCIES, widget=forms.RadioSelect)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required let only a logged-in user through
    return user


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(inbox_items(user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"item": item, "text": describe(item)} for item in page.object_list]
    return render(request, "archive/inbox.html", {"page": page, "rows": rows})


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ItemsForm(user, request.POST)
    if form.is_valid():
        if form.cleaned_data["all"]:
            do_mark_all_read(user)
        else:
            do_mark_read(user, form.cleaned_data["items"])
    return redirect("inbox")


@login_required
@require_POST
def inbox_delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ItemsForm(user, request.POST)
    if form.is_valid() and form.cleaned_data["items"]:
        deleted = do_delete_inbox_items(user, form.cleaned_data["items"])
        messages.success(request, f"{deleted} item{'' if deleted == 1 else 's'} deleted.")
    return redirect("inbox")


@login_required
@require_http_methods(["GET", "POST"])
def inbox_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    prefs = Preferences.objects.filter(user=user).first()
    current = prefs.email_frequency if prefs else "immediate"
    form = FrequencyForm(request.POST or None, initial={"email_frequency": current})
    if request.method == "POST" and form.is_valid():
        try:
            do_set_email_frequency(user, form.cleaned_data["email_frequency"])
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your e-mail setting is saved.")
            return redirect("inbox_settings")
    token = prefs.feed_token if prefs else ""
    feed_url = absolute_url(reverse("inbox_feed", args=[user.username, token])) if token else ""
    return render(request, "archive/inbox_settings.html", {"form": form, "feed_url": feed_url})


@login_required
@require_POST
def inbox_feed_token(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.POST.get("revoke"):
        do_revoke_feed_token(user)
        messages.success(request, "Your private feed is off: its old address no longer answers.")
    else:
        do_new_feed_token(user)
        messages.success(request, "Your private feed has a new address; the old one no longer answers.")
    return redirect("inbox_settings")
