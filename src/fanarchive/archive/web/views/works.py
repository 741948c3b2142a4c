from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fanarchive.archive.access import access_chapter, access_work, visible_works
from fanarchive.archive.models import Chapter, Work
from fanarchive.archive.web.blurbs import build_blurbs
from fanarchive.archive.web.views.listing import render_listing


def work_index(request: HttpRequest) -> HttpResponse:
    return render_listing(request, visible_works(request.user), "Works")


def _work_context(work: Work) -> dict[str, object]:
    blurb = build_blurbs([work])[0]
    chapters = list(work.chapters.filter(posted=True).order_by("position"))
    return {
        "work": work,
        "blurb": blurb,
        "chapters": chapters,
        "series": work.serial_works.select_related("series"),
        "related": work.related.all(),
        "prompt": (work.source_extra or {}).get("prompt"),
    }


def work_page(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id)
    context = _work_context(work)
    chapters: list[Chapter] = context["chapters"]  # type: ignore[assignment]
    full = request.GET.get("view_full_work") == "true" or len(chapters) <= 1
    if not full:
        return redirect("chapter", work_id=work.pk, position=chapters[0].position)
    return render(request, "archive/work.html", {**context, "shown": chapters, "full": True})


def chapter_page(request: HttpRequest, work_id: int, position: int) -> HttpResponse:
    work = access_work(request.user, work_id)
    chapter = access_chapter(request.user, work, position)
    context = _work_context(work)
    chapters: list[Chapter] = context["chapters"]  # type: ignore[assignment]
    index = next(i for i, c in enumerate(chapters) if c.pk == chapter.pk)
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
