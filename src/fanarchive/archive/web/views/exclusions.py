"""A reader's saved exclusions page, /users/<you>/exclusions: tags, muted authors, languages,
crossovers and word counts kept out of every listing they see. Only its owner reaches it; anyone
else gets the answer a user that does not exist gets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fanarchive.archive.access import access_own_pseud, access_user, visible_tag_named
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.blocks import do_block, do_unblock
from fanarchive.archive.actions.exclusions import (
    do_exclude_tag,
    do_mute,
    do_set_exclusion_preferences,
    do_unexclude_tag,
    do_unmute,
)
from fanarchive.archive.models import Block, ExcludedTag, Mute, Preferences, User
from fanarchive.archive.web.forms.exclusions import (
    BlockForm,
    ExcludeTagForm,
    ExclusionPreferencesForm,
    MuteForm,
)
from fanarchive.domain.query import whole_number


def _preferences_form(user: User, data: object = None) -> ExclusionPreferencesForm:
    prefs = Preferences.objects.filter(user=user).first()
    initial = (
        {
            "languages": ", ".join(prefs.excluded_languages),
            "crossovers": prefs.exclude_crossovers,
            "words_from": prefs.words_from,
            "words_to": prefs.words_to,
        }
        if prefs
        else {}
    )
    return ExclusionPreferencesForm(data, initial=initial)  # type: ignore[arg-type]


def _handle(request: HttpRequest, user: User, action: str) -> dict[str, object] | None:
    """Apply one POSTed change; the forms to show again when it was refused, else None."""
    if action == "exclude_tag":
        tag_form = ExcludeTagForm(request.POST)
        if tag_form.is_valid():
            tag = visible_tag_named(user, tag_form.cleaned_data["tag"])
            if tag is None:
                tag_form.add_error("tag", "No tag by that name is used on a work you can see.")
            else:
                try:
                    do_exclude_tag(user, tag.merger or tag)
                except ActionError as error:
                    tag_form.add_error("tag", str(error))
                else:
                    messages.success(request, f"Works tagged {tag.merger or tag} are hidden from you now.")
                    return None
        return {"tag_form": tag_form}
    if action == "mute":
        mute_form = MuteForm(request.POST)
        if mute_form.is_valid():
            try:
                muted = access_user(user, mute_form.cleaned_data["username"])
                do_mute(user, muted)
            except Http404:
                mute_form.add_error("username", "No author by that name.")
            except ActionError as error:
                mute_form.add_error("username", str(error))
            else:
                messages.success(request, f"{muted.username} is muted: you will not see their works.")
                return None
        return {"mute_form": mute_form}
    if action == "block":
        block_form = BlockForm(request.POST)
        if block_form.is_valid():
            try:
                blocked = access_user(user, block_form.cleaned_data["username"])
                do_block(user, blocked)
            except Http404:
                block_form.add_error("username", "No author by that name.")
            except ActionError as error:
                block_form.add_error("username", str(error))
            else:
                messages.success(request, f"{blocked.username} is blocked from your works.")
                return None
        return {"block_form": block_form}
    if action == "preferences":
        prefs_form = _preferences_form(user, request.POST)
        if prefs_form.is_valid():
            data = prefs_form.cleaned_data
            try:
                do_set_exclusion_preferences(
                    user,
                    languages=data["languages"],
                    crossovers=data["crossovers"],
                    words_from=data["words_from"],
                    words_to=data["words_to"],
                )
            except ActionError as error:
                prefs_form.add_error("words_to", str(error))
            else:
                messages.success(request, "Your exclusions are saved.")
                return None
        return {"prefs_form": prefs_form}
    target = whole_number(request.POST.get("id", ""))
    if action == "unexclude_tag" and target is not None:
        do_unexclude_tag(user, target)
    elif action == "unmute" and target is not None:
        do_unmute(user, target)
    elif action == "unblock" and target is not None:
        # Only someone this user blocked: the id names a row of their own Block list.
        block = Block.objects.filter(user=user, blocked_id=target).select_related("blocked").first()
        if block is not None:
            do_unblock(user, block.blocked)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def exclusions(request: HttpRequest, username: str) -> HttpResponse:
    access_own_pseud(request.user, username)  # only the owner: anyone else gets a 404
    assert isinstance(request.user, User)
    user = request.user
    refused: dict[str, object] | None = None
    if request.method == "POST":
        refused = _handle(request, user, request.POST.get("action", ""))
        if refused is None:
            return redirect("exclusions", username=user.username)
    context: dict[str, object] = {
        "author": user,
        "excluded_tags": ExcludedTag.objects.filter(user=user).select_related("tag").order_by("tag__name"),
        "mutes": Mute.objects.filter(user=user).select_related("muted").order_by("muted__username"),
        "tag_form": ExcludeTagForm(),
        "mute_form": MuteForm(),
        "blocks": Block.objects.filter(user=user).select_related("blocked").order_by("blocked__username"),
        "block_form": BlockForm(),
        "prefs_form": _preferences_form(user),
    }
    context.update(refused or {})
    return render(request, "archive/exclusions.html", context, status=400 if refused else 200)
