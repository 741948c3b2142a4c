"""A reader's own pages: the works they read (and how far), the ones they marked for later, and
the ones they left kudos on. Theirs alone: anyone else gets a missing user's 404."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fanarchive.archive.access import access_own_history, seen_q, visibility
from fanarchive.archive.actions.history import do_clear_history, do_set_history_enabled, history_enabled
from fanarchive.archive.models import Kudos, ReadingHistory, User
from fanarchive.archive.web.blurbs import build_blurbs

PER_PAGE = 20


class HistoryPreferenceForm(forms.Form):
    enabled = forms.BooleanField(required=False)


def _page_number(request: HttpRequest) -> str:
    return request.GET.get("page", "1")


@login_required
def history(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_history(request.user, username)
    later = request.GET.get("show") == "later"
    # Only works the reader may still see: one hidden or made a draft since drops out of the list.
    rows = ReadingHistory.objects.filter(seen_q(visibility(user), "work__"), user=user).select_related("work")
    rows = rows.filter(marked_for_later=True) if later else rows.filter(visits__gt=0)
    page = Paginator(rows.order_by("-last_read_at", "-id"), PER_PAGE).get_page(_page_number(request))
    entries: list[ReadingHistory] = list(page.object_list)
    blurbs = build_blurbs([entry.work for entry in entries])
    return render(
        request,
        "archive/history.html",
        {
            "owner": user,
            "later": later,
            "page": page,
            "entries": list(zip(entries, blurbs, strict=True)),
            "history_enabled": history_enabled(user),
        },
    )


@login_required
@require_POST
def history_preference(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_history(request.user, username)
    form = HistoryPreferenceForm(request.POST)
    if form.is_valid():
        do_set_history_enabled(user, form.cleaned_data["enabled"])
    return redirect("history", username=user.username)


@login_required
@require_POST
def history_clear(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_history(request.user, username)
    do_clear_history(user)
    return redirect("history", username=user.username)


@login_required
def kudos_left(request: HttpRequest, username: str) -> HttpResponse:
    user: User = access_own_history(request.user, username)
    kudos = Kudos.objects.filter(seen_q(visibility(user), "work__"), user=user).select_related("work")
    page = Paginator(kudos.order_by("-created_at", "-id"), PER_PAGE).get_page(_page_number(request))
    works = [given.work for given in page.object_list]
    return render(
        request, "archive/kudos_left.html", {"owner": user, "page": page, "blurbs": build_blurbs(works)}
    )
