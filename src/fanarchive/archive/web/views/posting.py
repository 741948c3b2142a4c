"""The author's pages for a work: post a new one, edit, preview a draft and post it, delete, orphan.

Every page but the new-work form reaches the work through access_own_work: anyone who is not one of
its accepted creators, staff included, gets the same 404 as for a work that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fanarchive.archive.access import access_own_work, visible_works
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.orphaning import do_orphan_works
from fanarchive.archive.actions.posting import do_create_work, do_post_work, do_update_work
from fanarchive.archive.actions.works import do_delete_work
from fanarchive.archive.models import User, Work
from fanarchive.archive.web.blurbs import build_blurbs
from fanarchive.archive.web.forms.work import OrphanForm, WorkForm, initial_for

# The form's buttons, by the value of its `action` field. Anything else only saves a draft: a work
# is never posted by a request that did not ask for it.
PREVIEW, DRAFT, POST = "preview", "draft", "post"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required let only a logged-in user through
    return user


def _after_save(work: Work, action: str) -> HttpResponse:
    if work.posted and action == POST:
        return redirect("work", work_id=work.pk)
    return redirect("work_preview", work_id=work.pk)


@login_required
@require_http_methods(["GET", "POST"])
def new_work(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    default = do_ensure_default_pseud(user) if user.default_pseud() is None else user.default_pseud()
    if request.method == "POST":
        form = WorkForm(request.POST, user=user, host=request.get_host())
        action = request.POST.get("action", DRAFT)
        if form.is_valid():
            fields = form.work_fields()
            if form.is_valid():  # the associations are checked last, when the fields are built
                try:
                    work = do_create_work(user, fields, post=action == POST)
                except ActionError as error:
                    form.add_error(None, str(error))
                else:
                    return _after_save(work, action)
    else:
        form = WorkForm(
            initial={"pseuds": [default.pk] if default else []}, user=user, host=request.get_host()
        )
    return render(request, "archive/work_form.html", {"form": form, "work": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit_work(request: HttpRequest, work_id: int) -> HttpResponse:
    user = _user(request)
    work = access_own_work(user, work_id)
    with_chapter = work.chapters.count() == 1
    host = request.get_host()
    if request.method == "POST":
        form = WorkForm(request.POST, user=user, host=host, with_chapter=with_chapter, new=False)
        action = request.POST.get("action", DRAFT)
        if form.is_valid():
            fields = form.work_fields()
            if form.is_valid():
                try:
                    work = do_update_work(work, user, fields, post=action == POST)
                except ActionError as error:
                    form.add_error(None, str(error))
                else:
                    if work.posted:
                        return redirect("work", work_id=work.pk)
                    return _after_save(work, action)
    else:
        form = WorkForm(
            initial=initial_for(work, user), user=user, host=host, with_chapter=with_chapter, new=False
        )
    return render(request, "archive/work_form.html", {"form": form, "work": work})


@login_required
@require_http_methods(["GET"])
def preview_work(request: HttpRequest, work_id: int) -> HttpResponse:
    """The work as readers will see it, every chapter the author has, from what is saved."""
    work = access_own_work(_user(request), work_id)
    invited = work.creatorships.filter(accepted=False).select_related("pseud__user")
    chapters = list(work.chapters.order_by("position"))
    return render(
        request,
        "archive/work_preview.html",
        {
            "work": work,
            "blurb": build_blurbs([work])[0],
            "chapters": chapters,
            # Every chapter's words: the work's own count is its posted chapters' only.
            "words": sum(chapter.word_count for chapter in chapters),
            "series": work.serial_works.select_related("series"),
            "related": work.related.select_related("target"),
            "invited": [c.pseud for c in invited],
        },
    )


@login_required
@require_POST
def post_work(request: HttpRequest, work_id: int) -> HttpResponse:
    user = _user(request)
    work = access_own_work(user, work_id)
    try:
        do_post_work(work, user)
    except ActionError as error:
        messages.error(request, str(error))
        return redirect("work_preview", work_id=work.pk)
    messages.success(request, "Your work was posted.")
    return redirect("work", work_id=work.pk)


@login_required
@require_http_methods(["GET", "POST"])
def delete_work(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_own_work(_user(request), work_id)
    if request.method == "POST":
        title = work.title
        do_delete_work(work)
        messages.success(request, f"Your work {title} was deleted.")
        return redirect("home")
    return render(request, "archive/work_delete.html", {"work": work})


@login_required
@require_http_methods(["GET", "POST"])
def orphan_work(request: HttpRequest, work_id: int) -> HttpResponse:
    user = _user(request)
    work = access_own_work(user, work_id)
    form = OrphanForm(request.POST or None)
    if request.method == "POST" and work.posted and form.is_valid():
        do_orphan_works([work], user, keep_pseud=form.cleaned_data["pseud"] == OrphanForm.KEEP)
        messages.success(request, f"Your work {work.title} was orphaned.")
        if visible_works(user).filter(pk=work.pk).exists():
            return redirect("work", work_id=work.pk)
        return redirect("home")
    return render(request, "archive/work_orphan.html", {"work": work, "form": form})
