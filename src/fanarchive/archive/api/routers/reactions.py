"""Kudos, comments (and replies) and bookmarks (scope `write`), through the same access.py lookups
and actions as the work page's buttons and forms: what the caller cannot see answers 404, what the
action refuses (kudos on one's own work, a frozen thread, a creator's block) answers 400."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from fanarchive.archive.access import (
    access_chapter,
    access_comment,
    access_own_bookmark,
    access_series,
    access_work,
)
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.bookmarks import (
    BookmarkFields,
    do_bookmark,
    do_delete_bookmark,
    do_edit_bookmark,
)
from fanarchive.archive.actions.comments import (
    check_may_delete,
    check_may_edit,
    do_delete_comment,
    do_edit_comment,
    do_post_comment,
)
from fanarchive.archive.actions.kudos import do_leave_kudos
from fanarchive.archive.api.auth import require_scope
from fanarchive.archive.api.errors import ERRORS, Problem
from fanarchive.archive.api.routers import reading as reading_routes
from fanarchive.archive.api.schemas.reactions import (
    BookmarkIn,
    BookmarkPatch,
    BookmarkRef,
    CommentEdit,
    CommentIn,
    CommentRef,
    KudosLeft,
)
from fanarchive.archive.feeds import links
from fanarchive.archive.models import Bookmark, Comment, Pseud, User

router = Router(tags=["kudos, comments and bookmarks"])
TAGS = ["kudos, comments and bookmarks"]
# /works/{work_id}/kudos and /comments are read on the reading router: their POSTs go on it too
# (django-ninja makes one URL per path and router; a second router's would never be reached).
_work = reading_routes.router


def _refuse(error: ActionError) -> HttpError:
    return HttpError(400, str(error))


@_work.post(
    "/works/{work_id}/kudos",
    tags=TAGS,
    response={201: KudosLeft, 400: Problem, **ERRORS},
    summary="Leave kudos",
)
def leave_kudos(request: HttpRequest, work_id: int) -> Status[dict[str, bool]]:
    user = require_scope(request, "write")
    work = access_work(user, work_id)
    try:
        return Status(201, {"counted": do_leave_kudos(work, user, "")})
    except ActionError as error:
        raise _refuse(error) from None


def _comment_ref(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "work_id": comment.work_id,
        "parent_id": comment.parent_id,
        "approved": comment.approved,
        "url": links.work_url(comment.work_id) + f"#comment-{comment.pk}",
    }


@_work.post(
    "/works/{work_id}/comments",
    tags=TAGS,
    response={201: CommentRef, 400: Problem, **ERRORS},
    summary="Comment on a work, a chapter, or reply",
)
def post_comment(request: HttpRequest, work_id: int, body: CommentIn) -> Status[dict[str, Any]]:
    """Held for approval (`approved: false`) when the work moderates comments."""
    user = require_scope(request, "write")
    work = access_work(user, work_id)
    chapter = access_chapter(user, work, body.chapter) if body.chapter else None
    parent = access_comment(user, body.parent_id) if body.parent_id else None
    if parent is not None and parent.work_id != work.pk:
        raise Http404("No such comment")
    try:
        comment = do_post_comment(work, body.body, user=user, chapter=chapter, parent=parent)
    except ActionError as error:
        raise _refuse(error) from None
    return Status(201, _comment_ref(comment))


def _own_comment(user: User, comment_id: int, check: Any) -> Comment:
    comment = access_comment(user, comment_id)
    try:
        check(comment, user)
    except ActionError:  # someone else's comment: as on the site, as if it were missing
        raise Http404("No such comment") from None
    return comment


@router.patch(
    "/comments/{comment_id}", response={200: CommentRef, 400: Problem, **ERRORS}, summary="Edit your comment"
)
def edit_comment(request: HttpRequest, comment_id: int, body: CommentEdit) -> dict[str, Any]:
    user = require_scope(request, "write")
    comment = _own_comment(user, comment_id, check_may_edit)
    try:
        do_edit_comment(comment, user, body.body)
    except ActionError as error:
        raise _refuse(error) from None
    return _comment_ref(comment)


@router.delete("/comments/{comment_id}", response={204: None, **ERRORS}, summary="Delete your comment")
def delete_comment(request: HttpRequest, comment_id: int) -> Status[None]:
    user = require_scope(request, "write")
    do_delete_comment(_own_comment(user, comment_id, check_may_delete), user)
    return Status(204, None)


def _pseud(user: User, pseud_id: int | None) -> Pseud:
    pseud = user.pseuds.filter(pk=pseud_id).first() if pseud_id else user.default_pseud()
    if pseud is None:
        raise HttpError(400, "Choose one of your pseuds.")
    return pseud


def _bookmark_ref(bookmark: Bookmark) -> dict[str, Any]:
    return {
        "id": bookmark.pk,
        "work_id": bookmark.work_id,
        "series_id": bookmark.series_id,
        "notes": bookmark.notes,
        "tags": sorted(bookmark.tags.values_list("name", flat=True)),
        "private": bookmark.private,
        "rec": bookmark.rec,
    }


@router.post(
    "/bookmarks", response={201: BookmarkRef, 400: Problem, **ERRORS}, summary="Bookmark a work or series"
)
def create_bookmark(request: HttpRequest, body: BookmarkIn) -> Status[dict[str, Any]]:
    user = require_scope(request, "write")
    if (body.work_id is None) == (body.series_id is None):
        raise HttpError(400, "Give either work_id or series_id.")
    work = access_work(user, body.work_id) if body.work_id else None
    series = access_series(user, body.series_id) if body.series_id else None
    fields = BookmarkFields(
        pseud=_pseud(user, body.pseud_id),
        notes=body.notes,
        tag_names=body.tags,
        private=body.private,
        rec=body.rec,
    )
    try:
        return Status(201, _bookmark_ref(do_bookmark(user, fields, work=work, series=series)))
    except ActionError as error:
        raise _refuse(error) from None


@router.patch(
    "/bookmarks/{bookmark_id}",
    response={200: BookmarkRef, 400: Problem, **ERRORS},
    summary="Change your bookmark",
)
def edit_bookmark(request: HttpRequest, bookmark_id: int, body: BookmarkPatch) -> dict[str, Any]:
    user = require_scope(request, "write")
    bookmark = access_own_bookmark(user, bookmark_id)
    fields = BookmarkFields(
        pseud=bookmark.pseud,
        notes=bookmark.notes if body.notes is None else body.notes,
        tag_names=list(bookmark.tags.values_list("name", flat=True)) if body.tags is None else body.tags,
        private=bookmark.private if body.private is None else body.private,
        rec=bookmark.rec if body.rec is None else body.rec,
    )
    try:
        do_edit_bookmark(bookmark, user, fields)
    except ActionError as error:
        raise _refuse(error) from None
    bookmark.refresh_from_db()
    return _bookmark_ref(bookmark)


@router.delete("/bookmarks/{bookmark_id}", response={204: None, **ERRORS}, summary="Delete your bookmark")
def delete_bookmark(request: HttpRequest, bookmark_id: int) -> Status[None]:
    do_delete_bookmark(access_own_bookmark(require_scope(request, "write"), bookmark_id))
    return Status(204, None)
