"""Comments: posting (members and, where the work allows, guests), replies, edits, deletion, and
the creators' moderation (approval, frozen threads, spam); staff hide through do_hide_comment.

StatCounter.comments counts the comments every reader may see (approved, not deleted, not hidden
as spam or by staff): recounted from the rows inside each action that changes one of those, with
the work handed to the indexer, which sorts by it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from fanarchive.archive.access import is_creator
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.blocks import check_not_blocked
from fanarchive.archive.actions.counters import declared_count
from fanarchive.archive.actions.notifications import do_notify_comment
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import Chapter, Comment, Pseud, StatCounter, User, Work
from fanarchive.archive.pagecache.invalidation import changes_only
from fanarchive.archive.pagecache.versions import work_key
from fanarchive.domain.sanitize import SANITIZER_VERSION, sanitize_comment

MAX_COMMENT_CHARS = 10_000
MAX_GUEST_NAME = 100


def counted_comments(work_id: int) -> int:
    """The comments every reader of the work sees: what StatCounter.comments holds."""
    return Comment.objects.filter(
        work_id=work_id, approved=True, deleted=False, hidden_as_spam=False, hidden_by_admin=False
    ).count()


def recount_comments(work_id: int) -> None:
    """Inside the action's transaction: the counter set from the rows (plus what an imported
    work's source declared), and the work reindexed."""
    comments = counted_comments(work_id) + declared_count(work_id, "comments")
    StatCounter.objects.filter(work_id=work_id).update(comments=comments)
    enqueue_reindex([work_id])


def _clean_body(body: str) -> str:
    if len(body) > MAX_COMMENT_CHARS:
        raise ActionError(f"A comment can be at most {MAX_COMMENT_CHARS:,} characters long.")
    clean = sanitize_comment(body)
    if not clean:
        raise ActionError("Write something in your comment.")
    return clean


def check_may_comment(work: Work, user: User | None, parent: Comment | None = None) -> None:
    """Whether `user` (None: a guest) may comment on `work`, or reply to `parent` there."""
    if work.comment_permission == "nobody":
        raise ActionError("This work does not take comments.")
    if work.comment_permission == "users" and user is None:
        raise ActionError("Only logged-in users may comment on this work.")
    check_not_blocked(work, user)
    if parent is not None:
        if parent.work_id != work.pk:
            raise ActionError("That comment is on another work.")
        if _thread_frozen(parent):
            raise ActionError("This thread is frozen: no more replies.")
        if parent.deleted or not parent.approved or parent.hidden_as_spam or parent.hidden_by_admin:
            raise ActionError("You cannot reply to that comment.")


def _thread_frozen(comment: Comment) -> bool:
    """Whether the thread `comment` is in was frozen (at its root, or at any comment above it)."""
    current: Comment | None = comment
    while current is not None:
        if current.frozen:
            return True
        current = Comment.objects.filter(pk=current.parent_id).first() if current.parent_id else None
    return False


@transaction.atomic
def do_post_comment(
    work: Work,
    body: str,
    *,
    user: User | None = None,
    guest_name: str = "",
    guest_email: str = "",
    chapter: Chapter | None = None,
    parent: Comment | None = None,
) -> Comment:
    """A new comment (a reply when `parent` is given). Held for approval when the work moderates
    comments and the commenter is not one of its creators; counted and notified once visible."""
    check_may_comment(work, user, parent)
    if chapter is not None and chapter.work_id != work.pk:
        raise ActionError("That chapter is in another work.")
    if user is None:
        guest_name = guest_name.strip()
        if not guest_name or len(guest_name) > MAX_GUEST_NAME:
            raise ActionError("Give a name (up to 100 characters) to comment as a guest.")
        if not guest_email.strip():
            raise ActionError("Give an e-mail address to comment as a guest.")
        pseud = None
    else:
        pseud = user.default_pseud()
        if pseud is None:
            raise ActionError("Your account has no pseud to comment under.")
        guest_name = guest_email = ""
    if parent is not None:
        # A reply sits on its parent's chapter (a thread never spans chapters).
        chapter = parent.chapter
    approved = not work.moderate_comments or (user is not None and is_creator(user, work))
    # Comments and their count show only on the work's own pages and its blurbs, which note the
    # work's page version: the cached pages of every other work stay (pagecache/dependencies.py).
    with changes_only([work_key(work.pk)]):
        comment = Comment.objects.create(
            work=work,
            chapter=chapter,
            pseud=pseud,
            guest_name=guest_name,
            guest_email=guest_email.strip(),
            parent=parent,
            body=_clean_body(body),
            sanitizer_version=SANITIZER_VERSION,
            approved=approved,
        )
        if approved:
            recount_comments(work.pk)
            do_notify_comment(comment)
    return comment


def _commenter(comment: Comment, user: User) -> bool:
    return comment.pseud is not None and comment.pseud.user_id == user.pk


def check_may_edit(comment: Comment, user: User) -> None:
    if not _commenter(comment, user) or comment.deleted:
        raise ActionError("Only its commenter can edit a comment.")


@transaction.atomic
def do_edit_comment(comment: Comment, user: User, body: str) -> Comment:
    check_may_edit(comment, user)
    comment.body = _clean_body(body)
    comment.sanitizer_version = SANITIZER_VERSION
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "sanitizer_version", "edited_at"])
    return comment


def check_may_delete(comment: Comment, user: User) -> None:
    """Its commenter, or a creator of the work, may delete a comment."""
    if comment.deleted or not (_commenter(comment, user) or is_creator(user, comment.work)):
        raise ActionError("You cannot delete this comment.")


@transaction.atomic
def do_delete_comment(comment: Comment, user: User) -> None:
    """A comment with replies keeps its place in the thread, its body and author gone; one
    without is removed (and a deleted parent left with no replies goes with it)."""
    check_may_delete(comment, user)
    _delete(comment)
    recount_comments(comment.work_id)


def _delete(comment: Comment) -> None:
    parent_id = comment.parent_id
    if comment.replies.exists():
        comment.deleted = True
        comment.body = ""
        comment.save(update_fields=["deleted", "body"])
        return
    comment.delete()
    parent = Comment.objects.filter(pk=parent_id, deleted=True).first() if parent_id else None
    if parent is not None and not parent.replies.exists():
        _delete(parent)


def check_moderator(comment: Comment, user: User) -> None:
    if not is_creator(user, comment.work):
        raise ActionError("Only the work's creators moderate its comments.")


@transaction.atomic
def do_approve_comment(comment: Comment, user: User) -> Comment:
    """A held comment appears to every reader: counted, and its recipients notified."""
    check_moderator(comment, user)
    if comment.approved:
        return comment
    comment.approved = True
    comment.save(update_fields=["approved"])
    recount_comments(comment.work_id)
    do_notify_comment(comment)
    return comment


@transaction.atomic
def do_freeze_thread(comment: Comment, user: User, frozen: bool = True) -> Comment:
    """No replies below `comment` (a creator freezes a thread at its root, or anywhere in it)."""
    check_moderator(comment, user)
    comment.frozen = frozen
    comment.save(update_fields=["frozen"])
    return comment


@transaction.atomic
def do_mark_spam(comment: Comment, user: User, spam: bool = True) -> Comment:
    """Hidden from readers (a creator still sees it, marked, and can undo it)."""
    check_moderator(comment, user)
    comment.hidden_as_spam = spam
    comment.save(update_fields=["hidden_as_spam"])
    recount_comments(comment.work_id)
    return comment


@transaction.atomic
def do_hide_comment(comment: Comment, hidden: bool = True) -> Comment:
    """Staff's hiding (from a report, or the admin): nobody but staff sees it."""
    comment.hidden_by_admin = hidden
    comment.save(update_fields=["hidden_by_admin"])
    recount_comments(comment.work_id)
    return comment


@transaction.atomic
def do_load_comment_threads(work: Work, pseud: Pseud | None, threads: list[tuple[str, list[str]]]) -> int:
    """Load many comment threads at once, without notifying anyone: comments brought along from
    elsewhere, or a bench's corpus. Each thread is (body, [reply bodies]); bodies are cleaned as
    posted ones are. Answers how many comments were stored."""
    roots = Comment.objects.bulk_create(
        Comment(work=work, pseud=pseud, body=_clean_body(body)) for body, _replies in threads
    )
    replies = Comment.objects.bulk_create(
        Comment(work=work, pseud=pseud, parent=root, body=_clean_body(reply))
        for root, (_body, bodies) in zip(roots, threads, strict=True)
        for reply in bodies
    )
    recount_comments(work.pk)
    return len(roots) + len(replies)
