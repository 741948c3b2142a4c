from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fanarchive.archive.access import (
    access_chapter,
    access_own_work,
    access_work,
    access_work_page,
    kudos_from,
    muted_user_ids,
    series_neighbours,
    visible_chapters,
    visible_related,
)
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.history import do_mark_for_later, do_record_visit
from fanarchive.archive.actions.kudos import do_leave_kudos, guest_hash
from fanarchive.archive.models import (
    Chapter,
    StatCounter,
    User,
    Work,
)
from fanarchive.archive.web.fragments import fragment_context
from fanarchive.archive.web.hits import count_hit
from fanarchive.archive.web.ratelimits import limit_reached
from fanarchive.archive.web.security import client_ip
from fanarchive.archive.web.views.comments import comments_context
from fanarchive.archive.web.views.downloads import download_links
from fanarchive.archive.web.views.listing import render_listing


def work_index(request: HttpRequest) -> HttpResponse:
    heading = "Search results" if request.GET.get("q", "").strip() else "Works"
    return render_listing(request, heading)


def _record_reading(request: HttpRequest, work: Work, chapter: Chapter) -> None:
    if isinstance(request.user, User):
        do_record_visit(request.user, work, chapter.position)


def _page_work(request: HttpRequest, work_id: int) -> Work:
    return access_work_page(request.user, work_id)


def _fact(work: Work, name: str) -> bool:
    """One of _page_work's annotations (the member's own ones are absent for a guest: False)."""
    return bool(getattr(work, name, False))


def _stats(work: Work) -> StatCounter | None:
    try:
        return work.stats
    except StatCounter.DoesNotExist:
        return None


def _work_context(
    request: HttpRequest, work: Work, chapters: list[Chapter], chapter: Chapter | None
) -> dict[str, object]:
    """What work.html needs but the chapters it shows; `work` from _page_work, `chapter` the one
    a chapter page shows (its comments only)."""
    owned = _fact(work, "viewer_is_creator")
    # Read once for the kudos and the comments.
    muted = muted_user_ids(request.user)
    return {
        **fragment_context(request, work),
        # Read with the work: the blurb's own stats are only built on a fragment's miss.
        "stats": _stats(work),
        "work": work,
        "chapters": chapters,
        # Every series it is in has this work, so each is visible to whoever sees the work.
        "series": series_neighbours(request.user, work) if _fact(work, "in_series") else [],
        "kudos_from": kudos_from(request.user, work, muted=muted) if _fact(work, "has_kudos") else ([], 0),
        "marked_for_later": _fact(work, "viewer_marked_for_later"),
        "subscribed": _fact(work, "viewer_subscribed"),
        "related": (
            visible_related(request.user, work).select_related("target") if _fact(work, "has_related") else []
        ),
        "prompt": (work.source_extra or {}).get("prompt"),
        "downloads": download_links(work.pk, work.title),
        # Its creators get the links to change it.
        "owned": owned,
        **comments_context(request, work, chapter, creator=owned, muted=muted),
    }


def _index(work: Work) -> list[Chapter]:
    # The index and the pager need only these: a chapter page reads one body, not the whole work's.
    return list(visible_chapters(work).only("pk", "work_id", "position", "title"))


def work_page(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = _page_work(request, work_id)
    except Http404:
        # A creator's own draft (or hidden work) at its readers' address: their preview of it.
        # Anyone else gets access_own_work's 404, the same as for a work that does not exist.
        own = access_own_work(request.user, work_id)
        return redirect("work_preview", work_id=own.pk)
    chapters = _index(work)
    full = request.GET.get("view_full_work") == "true" or len(chapters) <= 1
    if not full:
        return redirect("chapter", work_id=work.pk, position=chapters[0].position)
    count_hit(request, work.pk)
    _record_reading(request, work, chapters[-1])
    return render(
        request,
        "archive/work.html",
        {**_work_context(request, work, chapters, None), "shown": list(visible_chapters(work)), "full": True},
    )


def chapter_page(request: HttpRequest, work_id: int, position: int) -> HttpResponse:
    work = _page_work(request, work_id)
    chapter = access_chapter(request.user, work, position)
    chapters = _index(work)
    index = next(i for i, c in enumerate(chapters) if c.pk == chapter.pk)
    count_hit(request, work.pk)
    _record_reading(request, work, chapter)
    return render(
        request,
        "archive/work.html",
        {
            **_work_context(request, work, chapters, chapter),
            "shown": [chapter],
            "full": False,
            "previous": chapters[index - 1] if index > 0 else None,
            "next": chapters[index + 1] if index + 1 < len(chapters) else None,
        },
    )


def _back_to_work(request: HttpRequest, work: Work, query: str, anchor: str) -> HttpResponseRedirect:
    # Only back to one of this work's own pages: `next` comes from the form.
    target = request.POST.get("next", "")
    if not target.startswith(f"/works/{work.pk}") or "?" in target or "#" in target:
        target = f"/works/{work.pk}"
    return HttpResponseRedirect(f"{target}?{query}#{anchor}")


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def leave_kudos(request: HttpRequest, work_id: int) -> HttpResponse:
    """Without JavaScript the form posts and comes back to the button (#kudos); kudos.js posts it
    with fetch, asking for JSON, and updates the list in place."""
    work = access_work(request.user, work_id)
    user = request.user if isinstance(request.user, User) else None
    # Counted only once the work is known to be visible: a hidden one answers 404 like a missing one.
    refused = limit_reached(request, "kudos" if user else "kudos_guest")
    if refused is not None:
        return refused
    try:
        counted = do_leave_kudos(work, user, guest_hash(client_ip(request) or "", work.pk))
    except ActionError as error:
        if _wants_json(request):
            return JsonResponse({"status": "refused", "message": str(error)}, status=403)
        return _back_to_work(request, work, "kudos=refused", "kudos")
    status = "left" if counted else "again"
    if _wants_json(request):
        names, guests = kudos_from(request.user, work)
        total = StatCounter.objects.filter(work=work).values_list("kudos", flat=True).first() or 0
        return JsonResponse({"status": status, "names": names, "guests": guests, "total": total})
    return _back_to_work(request, work, f"kudos={status}", "kudos")


@require_POST
def mark_for_later(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id)
    if not isinstance(request.user, User):
        return redirect_to_login(f"/works/{work.pk}")
    marked = request.POST.get("marked", "1") != "0"
    do_mark_for_later(request.user, work, marked)
    return _back_to_work(request, work, f"later={'marked' if marked else 'unmarked'}", "later")
