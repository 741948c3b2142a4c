"""`{% subscribe_button "work" work.pk %}`: the subscribe/unsubscribe form for a page's target,
shown to logged-in readers only."""

from __future__ import annotations

from typing import Any

from django import template

from fanarchive.archive.models import Subscription

register = template.Library()

_FIELDS = {"work": "work_id", "series": "series_id", "user": "creator__username", "tag": "tag__name"}


@register.inclusion_tag("archive/_subscribe.html", takes_context=True)
def subscribe_button(
    context: Any, kind: str, target: Any, key: str = "", subscribed: bool | None = None
) -> dict[str, Any]:
    """`target`: the work's or series' id, the user's name or the tag's name; `key` what the form
    posts when it differs (a tag's URL part); `subscribed` when the view read it already."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    if subscribed is None:
        subscribed = Subscription.objects.filter(user=user, **{_FIELDS[kind]: target}).exists()
    return {
        "show": True,
        "kind": kind,
        "target": key or target,
        "subscribed": subscribed,
        "csrf_token": context.get("csrf_token"),
    }
