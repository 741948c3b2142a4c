from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fanarchive.archive.access import (
    access_chapter,
    access_own_work,
    access_work,
    owned_works,
    visible_chapters,
    visible_related,
)
from fanarchive.archive.actions.hits import do_record_hit, visitor_key
from fanarchive.archive.actions.kudos import do_leave_kudos, guest_hash
from fanarchive.archive.models import Chapter, Work
from fanarchive.archive.web.blurbs import build_blurbs
from fanarchive.archive.web.views.downloads import download_links
from fanarchive.archive.web.views.listing import render_listing


def work_index(request: HttpRequest) -> HttpResponse:
    heading = "Search results" if request.GET.get("q", "").strip() else "Works"
    return render_listing(request, heading)


def _count_hit(request: HttpRequest, work: Work) -> None:
    day: dt.date = timezone.now().date()
    key = visitor_key(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_USER_AGENT", ""),
        request.user.pk if request.user.is_authenticated else None,
        day,
    )
    do_record_hit(work, key, day)


def _work_context(request: HttpRequest, work: Work) -> dict[str, object]:
    blurb = build_blurbs([work])[0]
    chapters = list(visible_chapters(work))
    return {
        "work": work,
        "blurb": blurb,
        "chapters": chapters,
        # Every series it is in has this work, so each is visible to whoever sees the work.
        "series": work.serial_works.select_related("series"),
        "related": visible_related(request.user, work).select_related("target"),
        "prompt": (work.source_extra or {}).get("prompt"),
        "downloads": download_links(work.pk, work.title),
        # Its creators get the links to change it.
        "owned": request.user.is_authenticated and owned_works(request.user).filter(pk=work.pk).exists(),
    }


def work_page(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = access_work(request.user, work_id)
    except Http404:
        # A creator's own draft (or hidden work) at its readers' address: their preview of it.
        # Anyone else gets access_own_work's 404, the same as for a work that does not exist.
        own = access_own_work(request.user, work_id)
        return redirect("work_preview", work_id=own.pk)
    context = _work_context(request, work)
    chapters: list[Chapter] = context["chapters"]  # type: ignore[assignment]
    full = request.GET.get("view_full_work") == "true" or len(chapters) <= 1
    if not full:
        return redirect("chapter", work_id=work.pk, position=chapters[0].position)
    _count_hit(request, work)
    return render(request, "archive/work.html", {**context, "shown": chapters, "full": True})


def chapter_page(request: HttpRequest, work_id: int, position: int) -> HttpResponse:
    work = access_work(request.user, work_id)
    chapter = access_chapter(request.user, work, position)
    context = _work_context(request, work)
    chapters: list[Chapter] = context["chapters"]  # type: ignore[assignment]
    index = next(i for i, c in enumerate(chapters) if c.pk == chapter.pk)
    _count_hit(request, work)
    return render(
        request,
        "archive/work.html",
        {
            **context,
            "shown": [chapter],
            "full": False,
            "previous": chapters[index - 1] if index > 0 else None,
            "next": chapters[index + 1] if index + 1 < len(chapters) else None,
        },
    )


@require_POST
def leave_kudos(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id)
    user = request.user if request.user.is_authenticated else None
    counted = do_leave_kudos(work, user, guest_hash(request.META.get("REMOTE_ADDR", ""), work.pk))
    target = request.POST.get("next", "")
    if not target.startswith(f"/works/{work.pk}"):
        target = f"/works/{work.pk}"
    return HttpResponseRedirect(
        f"{target}{'?' if '?' not in target else '&'}kudos={'left' if counted else 'again'}"
    )
