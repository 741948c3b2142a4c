"""Bookmarks: a reader's list, a work's list, and the pages that make, change and delete them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from fanarchive.archive.access import (
    access_bookmarker,
    access_own_bookmark,
    access_series,
    access_work,
    own_bookmark_of,
    visible_bookmarks,
    visible_bookmarks_by,
    visible_tags,
)
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.bookmarks import (
    do_bookmark,
    do_bookmark_external,
    do_delete_bookmark,
    do_edit_bookmark,
)
from fanarchive.archive.listing.pages import _names, _resolve_names
from fanarchive.archive.models import Bookmark, FilterTagging, Series, Tag, User, Work
from fanarchive.archive.web.blurbs import Blurb, build_blurbs
from fanarchive.archive.web.forms.bookmarks import BookmarkForm, ExternalBookmarkForm, initial_for
from fanarchive.archive.web.ratelimits import limit_reached
from fanarchive.domain.tags import tag_key

PER_PAGE = 20
FACETS = 20  # the bookmarker's tags offered as checkboxes
# allauth's rate limit (settings.ACCOUNT_RATE_LIMITS) that making and changing bookmarks consume.
RATE_LIMIT = "bookmark"


@dataclass
class Entry:
    bookmark: Bookmark
    blurb: Blurb | None
    tags: list[Tag] = field(default_factory=list)


@dataclass
class Filters:
    with_names: list[str]
    tag_names: list[str]
    rec: bool
    unknown: list[str]
    # The bookmarker's tags most used in the list: (name, count, chosen), as checkboxes.
    facets: list[tuple[str, int, bool]] = field(default_factory=list)

    @property
    def typed_tags(self) -> list[str]:
        """Chosen tags the checkboxes do not show, for the text field."""
        shown = {tag_key(name) for name, _count, _chosen in self.facets}
        return [name for name in self.tag_names if tag_key(name) not in shown]

    @property
    def any(self) -> bool:
        return bool(self.with_names or self.tag_names or self.rec)


def _filter(request: HttpRequest, bookmarks: QuerySet[Bookmark]) -> tuple[QuerySet[Bookmark], Filters]:
    """The sidebar's filters: the work's tags (as on works listings: a tag finds its synonyms and
    sub tags), the bookmarker's own tags, recs only."""
    params = request.GET
    with_names = _names(params, "with")
    tag_ids, unknown = _resolve_names(visible_tags(request.user), with_names)
    for tag_id in tag_ids:
        filed = FilterTagging.objects.filter(work=OuterRef("work"), tag_id=tag_id)
        bookmarks = bookmarks.filter(Exists(filed))
    for name in unknown:
        # A work elsewhere names fandoms that no work here may use.
        bookmarks = bookmarks.filter(external__fandoms__key=tag_key(name))
    tag_names = _names(params, "bookmark_tags")
    for name in tag_names:
        bookmarks = bookmarks.filter(tags__key=tag_key(name))
    rec = params.get("rec") == "1"
    if rec:
        bookmarks = bookmarks.filter(rec=True)
    bookmarks = bookmarks.distinct()
    chosen = {tag_key(name) for name in tag_names}
    facets = [
        (row["tag__name"], row["count"], tag_key(row["tag__name"]) in chosen)
        for row in Bookmark.tags.through.objects.filter(bookmark__in=bookmarks.values("pk"))
        .values("tag__name")
        .annotate(count=Count("bookmark_id", distinct=True))
        .order_by("-count", "tag__name")[:FACETS]
    ]
    return bookmarks, Filters(with_names, tag_names, rec, unknown, facets)


def _entries(bookmarks: list[Bookmark]) -> list[Entry]:
    works = [b.work for b in bookmarks if b.work is not None]
    blurbs = {blurb.work.pk: blurb for blurb in build_blurbs(list({w.pk: w for w in works}.values()))}
    tags: dict[int, list[Tag]] = {}
    for through in Bookmark.tags.through.objects.filter(bookmark__in=bookmarks).select_related("tag"):
        tags.setdefault(through.bookmark_id, []).append(through.tag)
    return [
        Entry(
            b, blurbs.get(b.work_id) if b.work_id else None, sorted(tags.get(b.pk, []), key=lambda t: t.name)
        )
        for b in bookmarks
    ]


def _render_list(
    request: HttpRequest, heading: str, bookmarks: QuerySet[Bookmark], extra: dict[str, Any]
) -> HttpResponse:
    bookmarks, filters = _filter(request, bookmarks)
    ordered = bookmarks.select_related("work", "series", "external", "pseud__user").prefetch_related(
        "external__fandoms"
    )
    page = Paginator(ordered.order_by("-created_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "heading": heading,
        "page": page,
        "entries": _entries(list(page.object_list)),
        "filters": filters,
        "query": query.urlencode(),
        **extra,
    }
    return render(request, "archive/bookmarks_list.html", context)


def user_bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    user = access_bookmarker(request.user, username)
    return _render_list(
        request, f"Bookmarks by {user.username}", visible_bookmarks_by(request.user, user), {"author": user}
    )


def work_bookmarks(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id)
    return _render_list(
        request,
        f"Bookmarks of {work.title}",
        visible_bookmarks(request.user).filter(work=work),
        {"work": work},
    )


def _limited(request: HttpRequest) -> HttpResponse | None:
    return limit_reached(request, RATE_LIMIT)


def _save_target(request: HttpRequest, *, work: Work | None, series: Series | None) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    existing = own_bookmark_of(user, work=work, series=series)
    if existing is not None:
        return redirect("bookmark_edit", bookmark_id=existing.pk)
    form = BookmarkForm(request.POST or None, user=user)
    if request.method == "POST":
        if (limited := _limited(request)) is not None:
            return limited
        if form.is_valid():
            try:
                do_bookmark(user, form.bookmark_fields(), work=work, series=series)
            except ActionError as error:
                form.add_error(None, str(error))
            else:
                return redirect(_bookmarks_url(user))
    target_title = work.title if work is not None else series.title if series is not None else ""
    return render(
        request,
        "archive/bookmark_form.html",
        {"form": form, "work": work, "series": series, "target_title": target_title},
    )


def _bookmarks_url(user: User) -> str:
    return reverse("user_bookmarks", kwargs={"username": user.username})


@login_required
def work_bookmark(request: HttpRequest, work_id: int) -> HttpResponse:
    return _save_target(request, work=access_work(request.user, work_id), series=None)


@login_required
def series_bookmark(request: HttpRequest, series_id: int) -> HttpResponse:
    return _save_target(request, work=None, series=access_series(request.user, series_id))


@login_required
def external_bookmark_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ExternalBookmarkForm(request.POST or None, user=user)
    if request.method == "POST":
        if (limited := _limited(request)) is not None:
            return limited
        if form.is_valid():
            try:
                do_bookmark_external(user, form.external_fields(), form.bookmark_fields())
            except ActionError as error:
                form.add_error(None, str(error))
            else:
                return redirect(_bookmarks_url(user))
    return render(request, "archive/bookmark_form.html", {"form": form, "external": True})


@login_required
def bookmark_edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    bookmark = access_own_bookmark(user, bookmark_id)
    form_class = ExternalBookmarkForm if bookmark.external_id else BookmarkForm
    form = form_class(request.POST or None, user=user, initial=initial_for(bookmark))
    if request.method == "POST":
        if (limited := _limited(request)) is not None:
            return limited
        if form.is_valid():
            external = form.external_fields() if isinstance(form, ExternalBookmarkForm) else None
            try:
                do_edit_bookmark(bookmark, user, form.bookmark_fields(), external)
            except ActionError as error:
                form.add_error(None, str(error))
            else:
                return redirect(_bookmarks_url(user))
    return render(
        request,
        "archive/bookmark_form.html",
        {
            "form": form,
            "bookmark": bookmark,
            "work": bookmark.work,
            "series": bookmark.series,
            "external": bookmark.external_id is not None,
            "target_title": _title(bookmark),
        },
    )


def _title(bookmark: Bookmark) -> str:
    if bookmark.work is not None:
        return bookmark.work.title
    if bookmark.series is not None:
        return bookmark.series.title
    return bookmark.external.title if bookmark.external is not None else ""


@login_required
def bookmark_delete(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    bookmark = access_own_bookmark(user, bookmark_id)
    if request.method == "POST":
        if (limited := _limited(request)) is not None:
            return limited
        do_delete_bookmark(bookmark)
        return redirect(_bookmarks_url(user))
    return render(
        request, "archive/bookmark_delete.html", {"bookmark": bookmark, "target_title": _title(bookmark)}
    )
