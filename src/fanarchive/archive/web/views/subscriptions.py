"""Subscribing (POST buttons on work, series, user and tag pages) and the list of one's own
subscriptions. A target is looked up through access.py as its page is: what the reader cannot see
answers 404, subscribed or not."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from fanarchive.archive.access import access_profile, access_series, access_tag, access_work
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.subscriptions import (
    Target,
    do_delete_subscription,
    do_subscribe,
    do_unsubscribe,
)
from fanarchive.archive.models import Series, Subscription, Tag, User, Work
from fanarchive.domain.tags import tag_to_url_part

KINDS = ["work", "series", "user", "tag"]


class SubscriptionForm(forms.Form):
    kind = forms.ChoiceField(choices=[(kind, kind) for kind in KINDS])
    target = forms.CharField(max_length=300)
    subscribe = forms.BooleanField(required=False)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required let only a logged-in user through
    return user


def _target(user: User, kind: str, key: str) -> Target:
    if kind in {"work", "series"}:
        if not key.isdigit():
            raise Http404("No such page")
        return access_work(user, int(key)) if kind == "work" else access_series(user, int(key))
    if kind == "user":
        return access_profile(user, key)
    return access_tag(user, key)


def target_url(target: Target) -> str:
    if isinstance(target, Work):
        return reverse("work", args=[target.pk])
    if isinstance(target, Series):
        return reverse("series", args=[target.pk])
    if isinstance(target, Tag):
        return reverse("tag", args=[tag_to_url_part(target.name)])
    return reverse("user", args=[target.username])


def _name(target: Target) -> str:
    if isinstance(target, User):
        return target.username
    return target.name if isinstance(target, Tag) else str(target)


@login_required
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        raise Http404("No such page")
    user = _user(request)
    target = _target(user, form.cleaned_data["kind"], form.cleaned_data["target"])
    if form.cleaned_data["subscribe"]:
        try:
            do_subscribe(user, target)
        except ActionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"You are subscribed to {_name(target)}.")
    else:
        do_unsubscribe(user, target)
        messages.success(request, f"You are no longer subscribed to {_name(target)}.")
    return redirect(target_url(target))


def _kind_and_key(subscription: Subscription) -> tuple[str, str]:
    if subscription.work_id is not None:
        return "work", str(subscription.work_id)
    if subscription.series_id is not None:
        return "series", str(subscription.series_id)
    if subscription.creator is not None:
        return "user", subscription.creator.username
    assert subscription.tag is not None  # the check constraint: exactly one target
    return "tag", tag_to_url_part(subscription.tag.name)


@login_required
@require_GET
def subscription_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    subscriptions = (
        Subscription.objects.filter(user=user).select_related("creator", "tag").order_by("-created_at", "-pk")
    )
    rows = []
    for subscription in subscriptions:
        kind, key = _kind_and_key(subscription)
        try:
            # A work or series since hidden stays listed, so that it can be dropped, but unnamed.
            target = _target(user, kind, key)
        except Http404:
            rows.append({"subscription": subscription, "kind": kind, "name": "", "url": ""})
        else:
            rows.append(
                {"subscription": subscription, "kind": kind, "name": _name(target), "url": target_url(target)}
            )
    return render(request, "archive/subscriptions.html", {"rows": rows})


@login_required
@require_POST
def subscription_delete(request: HttpRequest, subscription_id: int) -> HttpResponse:
    if do_delete_subscription(_user(request), subscription_id):
        messages.success(request, "Subscription deleted.")
    return redirect("subscriptions")
