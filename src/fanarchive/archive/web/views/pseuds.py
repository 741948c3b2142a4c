"""A user's pseuds: the list (with the owner's buttons), a pseud's works, and the owner's pages to
create, edit and delete one. Others reach them through access.py, as the user page does; the pages
that change a pseud answer anyone but its owner like a user that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fanarchive.archive.access import (
    access_own_pseud,
    access_profile,
    access_pseud,
    crediting,
    owned_works,
    visible_pseuds,
    visible_works,
)
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.pseuds import (
    check_delete_pseud,
    do_create_pseud,
    do_delete_pseud,
    do_rename_pseud,
    do_set_default_pseud,
)
from fanarchive.archive.models import Pseud, User
from fanarchive.archive.web.forms.pseuds import PseudForm
from fanarchive.archive.web.views.listing import render_listing
from fanarchive.domain.tags import tag_from_url_part


def _owner(request: HttpRequest, user: User) -> bool:
    return bool(request.user.is_authenticated and request.user.pk == user.pk)


def pseud_list(request: HttpRequest, username: str) -> HttpResponse:
    user = access_profile(request.user, username)
    pseuds = visible_pseuds(request.user, user)
    return render(
        request,
        "archive/pseuds.html",
        {"author": user, "pseuds": pseuds.order_by("-is_default", "name"), "owner": _owner(request, user)},
    )


def pseud_works(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    user = access_profile(request.user, username)
    pseud = access_pseud(request.user, user, tag_from_url_part(pseud_name))
    work_ids = tuple(visible_works(request.user).filter(crediting(pseud=pseud)).values_list("pk", flat=True))
    return render_listing(
        request, f"Works by {pseud}", work_ids=work_ids, extra={"author": user, "pseud": pseud}
    )


def _owned(request: HttpRequest, username: str, pseud_name: str | None = None) -> tuple[User, Pseud | None]:
    pseud = access_own_pseud(
        request.user, username, None if pseud_name is None else tag_from_url_part(pseud_name)
    )
    assert isinstance(request.user, User)  # access_own_pseud let only the owner through
    return request.user, pseud


def _to_list(user: User) -> HttpResponse:
    return redirect("pseuds", username=user.username)


@login_required
@require_http_methods(["GET", "POST"])
def pseud_new(request: HttpRequest, username: str) -> HttpResponse:
    user, _ = _owned(request, username)
    form = PseudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pseud = do_create_pseud(
                user,
                form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                default=form.cleaned_data["default"],
            )
        except ActionError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Pseud {pseud.name} created.")
            return _to_list(user)
    return render(request, "archive/pseud_form.html", {"form": form, "author": user, "pseud": None})


@login_required
@require_http_methods(["GET", "POST"])
def pseud_edit(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    user, pseud = _owned(request, username, pseud_name)
    assert pseud is not None
    initial = {"name": pseud.name, "description": pseud.description, "default": pseud.is_default}
    form = PseudForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_rename_pseud(pseud, form.cleaned_data["name"], description=form.cleaned_data["description"])
        except ActionError as error:
            form.add_error("name", str(error))
        else:
            # Unticking the box changes nothing: a user always has a default, chosen by ticking another's.
            if form.cleaned_data["default"]:
                do_set_default_pseud(pseud)
            messages.success(request, f"Pseud {pseud.name} saved.")
            return _to_list(user)
    return render(request, "archive/pseud_form.html", {"form": form, "author": user, "pseud": pseud})


@login_required
@require_http_methods(["GET", "POST"])
def pseud_delete(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    user, pseud = _owned(request, username, pseud_name)
    assert pseud is not None
    try:
        default = check_delete_pseud(pseud)
    except ActionError as error:
        return render(request, "archive/pseud_delete.html", {"author": user, "pseud": pseud, "error": error})
    if request.method == "POST":
        do_delete_pseud(pseud)
        messages.success(request, f"Pseud {pseud.name} deleted; its works are now under {default.name}.")
        return _to_list(user)
    works = owned_works(user).filter(crediting(pseud=pseud)).count()
    return render(
        request,
        "archive/pseud_delete.html",
        {"author": user, "pseud": pseud, "default": default, "works": works},
    )
