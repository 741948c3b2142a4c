"""Subscriptions and saved exclusions (scope `write`), as on the Subscriptions and Exclusions pages:
a target is looked up through access.py as its page is, so what the caller cannot see is 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from fanarchive.archive.access import (
    access_profile,
    access_series,
    access_user,
    access_work,
    visible_tag_named,
)
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.exclusions import (
    do_exclude_tag,
    do_mute,
    do_set_exclusion_preferences,
    do_unexclude_tag,
    do_unmute,
)
from fanarchive.archive.actions.notifications import preferences_of
from fanarchive.archive.actions.subscriptions import Target, do_delete_subscription, do_subscribe
from fanarchive.archive.api.auth import require_scope
from fanarchive.archive.api.errors import ERRORS, Problem
from fanarchive.archive.api.schemas.ids import path_id
from fanarchive.archive.api.schemas.reactions import (
    ExclusionPreferences,
    Exclusions,
    NamedTarget,
    SubscriptionIn,
    SubscriptionOut,
)
from fanarchive.archive.models import ExcludedTag, Mute, Subscription, User

router = Router(tags=["subscriptions and exclusions"])


def _subscription_out(subscription: Subscription) -> dict[str, Any]:
    kinds = {"work": subscription.work_id, "series": subscription.series_id, "tag": subscription.tag_id}
    kind = next((name for name, value in kinds.items() if value is not None), "creator")
    return {
        "id": subscription.pk,
        "kind": kind,
        "work_id": subscription.work_id,
        "series_id": subscription.series_id,
        "tag": subscription.tag.name if subscription.tag is not None else None,
        "username": subscription.creator.username if subscription.creator is not None else None,
    }


@router.get("/subscriptions", response={200: list[SubscriptionOut], **ERRORS}, summary="Your subscriptions")
def list_subscriptions(request: HttpRequest) -> list[dict[str, Any]]:
    user = require_scope(request, "write")
    rows = Subscription.objects.filter(user=user).select_related("tag", "creator").order_by("pk")
    return [_subscription_out(row) for row in rows]


def _target(user: User, body: SubscriptionIn) -> Target:
    given = [v for v in (body.work_id, body.series_id, body.tag, body.username) if v is not None]
    if len(given) != 1:
        raise HttpError(400, "Give exactly one of work_id, series_id, tag and username.")
    if body.work_id is not None:
        return access_work(user, body.work_id)
    if body.series_id is not None:
        return access_series(user, body.series_id)
    if body.username is not None:
        return access_profile(user, body.username)
    tag = visible_tag_named(user, body.tag or "")
    if tag is None:
        raise Http404("No such tag")
    return tag.merger or tag


@router.post(
    "/subscriptions",
    response={201: SubscriptionOut, 400: Problem, **ERRORS},
    summary="Subscribe to something",
)
def subscribe(request: HttpRequest, body: SubscriptionIn) -> Status[dict[str, Any]]:
    """A work (new chapters), a series or a creator (new works), or a tag (new works filed under
    it). Subscribing twice answers the same subscription."""
    user = require_scope(request, "write")
    try:
        subscription = do_subscribe(user, _target(user, body))
    except ActionError as error:
        raise HttpError(400, str(error)) from None
    subscription = Subscription.objects.select_related("tag", "creator").get(pk=subscription.pk)
    return Status(201, _subscription_out(subscription))


@router.delete("/subscriptions/{subscription_id}", response={204: None, **ERRORS}, summary="Unsubscribe")
def unsubscribe(request: HttpRequest, subscription_id: int = path_id()) -> Status[None]:
    if not do_delete_subscription(require_scope(request, "write"), subscription_id):
        raise Http404("No such subscription")
    return Status(204, None)


def _exclusions(user: User) -> dict[str, Any]:
    prefs = preferences_of(user)
    return {
        "tags": sorted(ExcludedTag.objects.filter(user=user).values_list("tag__name", flat=True)),
        "muted": sorted(Mute.objects.filter(user=user).values_list("muted__username", flat=True)),
        "languages": list(prefs.excluded_languages),
        "crossovers": not prefs.exclude_crossovers,
        "words_from": prefs.words_from,
        "words_to": prefs.words_to,
    }


@router.get("/exclusions", response={200: Exclusions, **ERRORS}, summary="Your saved exclusions")
def get_exclusions(request: HttpRequest) -> dict[str, Any]:
    return _exclusions(require_scope(request, "write"))


@router.put(
    "/exclusions",
    response={200: Exclusions, 400: Problem, **ERRORS},
    summary="Set languages, crossovers, words",
)
def set_exclusions(request: HttpRequest, body: ExclusionPreferences) -> dict[str, Any]:
    user = require_scope(request, "write")
    try:
        do_set_exclusion_preferences(
            user,
            languages=body.languages,
            crossovers=not body.crossovers,
            words_from=body.words_from,
            words_to=body.words_to,
        )
    except ActionError as error:
        raise HttpError(400, str(error)) from None
    return _exclusions(user)


@router.post("/exclusions/tags", response={200: Exclusions, 400: Problem, **ERRORS}, summary="Exclude a tag")
def exclude_tag(request: HttpRequest, body: NamedTarget) -> dict[str, Any]:
    """Works with the tag (its synonyms and sub tags too) leave every listing you see."""
    user = require_scope(request, "write")
    tag = visible_tag_named(user, body.name)
    if tag is None:
        raise Http404("No such tag")
    try:
        do_exclude_tag(user, tag.merger or tag)
    except ActionError as error:
        raise HttpError(400, str(error)) from None
    return _exclusions(user)


@router.delete(
    "/exclusions/tags/{name}", response={200: Exclusions, **ERRORS}, summary="Stop excluding a tag"
)
def unexclude_tag(request: HttpRequest, name: str) -> dict[str, Any]:
    user = require_scope(request, "write")
    excluded = ExcludedTag.objects.filter(user=user, tag__name__iexact=name).first()
    if excluded is None:
        raise Http404("No such excluded tag")
    do_unexclude_tag(user, excluded.tag_id)
    return _exclusions(user)


@router.post("/exclusions/mutes", response={200: Exclusions, 400: Problem, **ERRORS}, summary="Mute a user")
def mute(request: HttpRequest, body: NamedTarget) -> dict[str, Any]:
    user = require_scope(request, "write")
    try:
        do_mute(user, access_user(user, body.name))
    except ActionError as error:
        raise HttpError(400, str(error)) from None
    return _exclusions(user)


@router.delete("/exclusions/mutes/{username}", response={200: Exclusions, **ERRORS}, summary="Unmute a user")
def unmute(request: HttpRequest, username: str) -> dict[str, Any]:
    user = require_scope(request, "write")
    muted = Mute.objects.filter(user=user, muted__username=username).first()
    if muted is None:
        raise Http404("No such muted user")
    do_unmute(user, muted.muted_id)
    return _exclusions(user)
