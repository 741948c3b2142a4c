"""Comments on works and chapters: the threads under a work's pages (50 threads a page), posting a
comment or a reply, editing and deleting one's own, and the creators' moderation. Every comment is
reached through access.py: one on a work or chapter the viewer cannot see, or one they may not
see, answers the same 404 as one that does not exist, and so does an action they may not take."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from fanarchive.archive.access import (
    access_chapter,
    access_comment,
    access_work,
    is_creator,
    visible_comments,
)
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.comments import (
    check_may_comment,
    check_may_delete,
    check_may_edit,
    do_approve_comment,
    do_delete_comment,
    do_edit_comment,
    do_freeze_thread,
    do_mark_spam,
    do_post_comment,
)
from fanarchive.archive.models import Chapter, Comment, User, Work
from fanarchive.archive.web.forms.comments import CommentEditForm, CommentForm, blank_comment_fields
from fanarchive.archive.web.ratelimits import limit_reached

THREADS_PER_PAGE = 50


@dataclass
class Node:
    """A comment as its thread shows it, with what this viewer may do to it."""

    comment: Comment
    replies: list[Node] = field(default_factory=list)
    frozen: bool = False  # frozen here or above: no replies
    mine: bool = False


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _threads(request: HttpRequest, visible: QuerySet[Comment]) -> tuple[Page[int], list[Node]]:
    """One page of top-level comments with every reply below them, in two queries (one when there
    are none): the ids of every visible comment with their parents, then the rows of this page's
    threads. The ids alone give the page count and which replies hang below the page's threads."""
    user = _user(request)
    roots: list[int] = []
    below: dict[int, list[int]] = {}
    for comment_id, parent_id in visible.order_by("created_at", "id").values_list("id", "parent_id"):
        if parent_id is None:
            roots.append(comment_id)
        else:
            below.setdefault(parent_id, []).append(comment_id)
    page = Paginator(roots, THREADS_PER_PAGE).get_page(request.GET.get("comments_page"))
    wanted = list(page.object_list)
    reach = wanted
    while reach:
        reach = [reply_id for parent_id in reach for reply_id in below.get(parent_id, ())]
        wanted.extend(reach)
    rows = visible.filter(pk__in=wanted).select_related("pseud__user", "chapter") if wanted else []
    nodes: dict[int, Node] = {}
    for comment in rows:
        mine = user is not None and comment.pseud is not None and comment.pseud.user_id == user.pk
        nodes[comment.pk] = Node(comment, mine=mine)
    # Replies in the order they were written (`below` holds them so), under their parents.
    for parent_id, reply_ids in below.items():
        parent = nodes.get(parent_id)
        if parent is not None:
            parent.replies.extend(nodes[reply_id] for reply_id in reply_ids if reply_id in nodes)
    threads = [nodes[root_id] for root_id in page.object_list if root_id in nodes]
    # Frozen from the comment frozen down; a reply under a comment the viewer does not see is
    # never reached, so it is not shown.
    stack = [(thread, False) for thread in threads]
    while stack:
        current, above = stack.pop()
        current.frozen = above or current.comment.frozen
        stack.extend((reply, current.frozen) for reply in current.replies)
    return page, threads


def comments_context(
    request: HttpRequest,
    work: Work,
    chapter: Chapter | None = None,
    *,
    creator: bool | None = None,
    muted: set[int] | None = None,
) -> dict[str, object]:
    """What _comments.html needs under a work's page (chapter: that chapter's comments only).
    `creator` and `muted`: is_creator and muted_user_ids, when the page read them already."""
    if creator is None:
        creator = is_creator(request.user, work)
    visible = visible_comments(request.user, work, chapter, creator=creator, muted=muted)
    page, threads = _threads(request, visible)
    user = _user(request)
    try:
        check_may_comment(work, user)
        may_comment, refusal = True, ""
    except ActionError as error:
        may_comment, refusal = False, str(error)
    return {
        "comment_threads": threads,
        "comment_page": page,
        "comment_fields": blank_comment_fields(chapter.position if chapter else None, user is None),
        "may_comment": may_comment,
        "comment_refusal": refusal,
        "moderator": creator,
    }


def _page_of(comment: Comment) -> str:
    """Where a comment is read: its chapter's page, or the whole work's."""
    if comment.chapter is not None:
        return f"/works/{comment.work_id}/chapters/{comment.chapter.position}"
    return f"/works/{comment.work_id}?view_full_work=true"


def _at(comment: Comment, note: str = "") -> HttpResponseRedirect:
    page = _page_of(comment)
    if note:
        page += ("&" if "?" in page else "?") + f"comment={note}"
    return HttpResponseRedirect(f"{page}#comment-{comment.pk}")


def _form_page(
    request: HttpRequest, work: Work, form: CommentForm, parent: Comment | None, error: str = ""
) -> HttpResponse:
    return render(
        request,
        "archive/comment_form.html",
        {"work": work, "form": form, "parent": parent, "error": error, "guest": _user(request) is None},
        status=400 if error or form.errors else 200,
    )


@require_POST
def post_comment(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id)
    user = _user(request)
    # Counted once the work is known to be visible: a hidden one answers 404 like a missing one.
    for action in ("comment", "comment_ip") if user else ("comment_ip",):
        if (refused := limit_reached(request, action)) is not None:
            return refused
    form = CommentForm(request.POST)
    parent: Comment | None = None
    if form.is_valid() and form.cleaned_data["parent"]:
        parent = access_comment(request.user, form.cleaned_data["parent"])
        if parent.work_id != work.pk:
            raise Http404("No such comment")
    if form.caught():
        # Answered as a post would be, so the bot learns nothing.
        return HttpResponseRedirect(f"/works/{work.pk}?comment=posted")
    if not form.is_valid():
        return _form_page(request, work, form, parent)
    data = form.cleaned_data
    chapter = access_chapter(request.user, work, data["chapter"]) if data["chapter"] else None
    try:
        comment = do_post_comment(
            work,
            data["body"],
            user=user,
            guest_name=data["guest_name"],
            guest_email=data["guest_email"],
            chapter=chapter,
            parent=parent,
        )
    except ActionError as error:
        return _form_page(request, work, form, parent, str(error))
    return _at(comment, "posted" if comment.approved else "held")


def reply_form(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A page with the reply form, for readers without JavaScript (and a link to share)."""
    parent = access_comment(request.user, comment_id)
    form = CommentForm(initial={"parent": parent.pk})
    try:
        check_may_comment(parent.work, _user(request), parent)
    except ActionError as error:
        return render(
            request, "archive/comment_form.html", {"work": parent.work, "parent": parent, "error": str(error)}
        )
    return _form_page(request, parent.work, form, parent)


def _own_comment(request: HttpRequest, comment_id: int) -> tuple[Comment, User]:
    comment = access_comment(request.user, comment_id)
    user = _user(request)
    if user is None:
        raise Http404("No such comment")
    return comment, user


@require_http_methods(["GET", "POST"])
def edit_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment, user = _own_comment(request, comment_id)
    try:
        check_may_edit(comment, user)
    except ActionError:
        raise Http404("No such comment") from None
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            do_edit_comment(comment, user, form.cleaned_data["body"])
            return _at(comment, "edited")
        except ActionError as e:
            error = str(e)
    return render(
        request,
        "archive/comment_edit.html",
        {"comment": comment, "work": comment.work, "form": form, "error": error},
        status=400 if error or form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def delete_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment, user = _own_comment(request, comment_id)
    try:
        check_may_delete(comment, user)
    except ActionError:
        raise Http404("No such comment") from None
    if request.method == "POST":
        page = _page_of(comment)
        do_delete_comment(comment, user)
        return HttpResponseRedirect(page + ("&" if "?" in page else "?") + "comment=deleted#comments")
    return render(request, "archive/comment_delete.html", {"comment": comment, "work": comment.work})


_MODERATION = {
    "approve": lambda c, u: do_approve_comment(c, u),
    "freeze": lambda c, u: do_freeze_thread(c, u, True),
    "unfreeze": lambda c, u: do_freeze_thread(c, u, False),
    "spam": lambda c, u: do_mark_spam(c, u, True),
    "unspam": lambda c, u: do_mark_spam(c, u, False),
}


@require_POST
def moderate_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A creator of the work approves, freezes, unfreezes, marks as spam or restores a comment."""
    comment, user = _own_comment(request, comment_id)
    act = _MODERATION.get(request.POST.get("action", ""))
    if act is None:
        raise Http404("No such comment")
    try:
        act(comment, user)
    except ActionError:
        raise Http404("No such comment") from None
    return _at(comment, request.POST["action"])
