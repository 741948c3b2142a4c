"""Comment actions: permission, moderation, threads, deletion, and the counter kept equal to the
comments every reader sees."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.contrib.auth.models import AnonymousUser

from fanarchive.archive.access import visible_comments
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.blocks import do_block
from fanarchive.archive.actions.comments import (
    counted_comments,
    do_approve_comment,
    do_delete_comment,
    do_edit_comment,
    do_freeze_thread,
    do_hide_comment,
    do_mark_spam,
    do_post_comment,
)
from fanarchive.archive.actions.exclusions import do_mute
from fanarchive.archive.models import Comment, InboxItem, SearchOutbox, StatCounter, User, Work
from fanarchive.domain.sanitize import COMMENT_TAGS, SANITIZER_VERSION, safe_url, sanitize_comment

pytestmark = pytest.mark.django_db

VECTORS = Path(__file__).parents[1] / "fixtures" / "xss" / "vectors.txt"


def _member(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


def _count(work: Work) -> int:
    return StatCounter.objects.get(work=work).comments


@pytest.fixture
def work(make_work: Callable[..., Work]) -> Work:
    return make_work("Harbour Lights", owner="ada", chapters=2)


def test_a_member_comments_and_the_counter_and_index_follow(work: Work) -> None:
    reader = _member("reader")
    SearchOutbox.objects.all().delete()
    comment = do_post_comment(work, "<p>Lovely <b>boats</b></p>", user=reader)
    assert comment.pseud == reader.default_pseud()
    assert comment.approved and comment.sanitizer_version == SANITIZER_VERSION
    assert _count(work) == 1
    assert SearchOutbox.objects.filter(work_id=work.pk).exists()


def test_the_creator_is_notified_of_a_comment_and_the_commenter_of_a_reply(work: Work) -> None:
    ada = User.objects.get(username="ada")
    reader = _member("reader")
    comment = do_post_comment(work, "Hello", user=reader)
    assert InboxItem.objects.filter(user=ada, comment=comment).count() == 1
    reply = do_post_comment(work, "Thanks!", user=ada, parent=comment)
    assert InboxItem.objects.filter(user=reader, comment=reply).count() == 1
    assert not InboxItem.objects.filter(user=ada, comment=reply).exists()


def test_guests_need_a_name_and_address_and_the_works_permission(work: Work) -> None:
    with pytest.raises(ActionError):
        do_post_comment(work, "hi", guest_name="", guest_email="g@example.org")
    with pytest.raises(ActionError):
        do_post_comment(work, "hi", guest_name="Gull", guest_email="")
    guest = do_post_comment(work, "hi", guest_name="Gull", guest_email="g@example.org")
    assert guest.pseud is None and guest.guest_name == "Gull"
    Work.objects.filter(pk=work.pk).update(comment_permission="users")
    work.refresh_from_db()
    with pytest.raises(ActionError, match="logged-in"):
        do_post_comment(work, "hi", guest_name="Gull", guest_email="g@example.org")
    do_post_comment(work, "hi", user=_member("reader"))
    Work.objects.filter(pk=work.pk).update(comment_permission="nobody")
    work.refresh_from_db()
    with pytest.raises(ActionError):
        do_post_comment(work, "hi", user=User.objects.get(username="reader"))


def test_moderated_comments_wait_for_a_creator(work: Work) -> None:
    Work.objects.filter(pk=work.pk).update(moderate_comments=True)
    work.refresh_from_db()
    ada = User.objects.get(username="ada")
    reader, other = _member("reader"), _member("other")
    held = do_post_comment(work, "Wait for me", user=reader)
    assert not held.approved and _count(work) == 0
    assert not InboxItem.objects.filter(comment=held).exists()
    assert list(visible_comments(reader, work)) == [held]
    assert list(visible_comments(ada, work)) == [held]
    assert list(visible_comments(other, work)) == []
    assert list(visible_comments(AnonymousUser(), work)) == []
    with pytest.raises(ActionError):
        do_approve_comment(held, other)
    do_approve_comment(held, ada)
    assert _count(work) == 1
    assert list(visible_comments(AnonymousUser(), work)) == [held]
    assert InboxItem.objects.filter(user=ada, comment=held).count() == 1
    # A creator's own comment on their moderated work needs nobody's approval.
    assert do_post_comment(work, "Mine", user=ada).approved


def test_a_frozen_thread_takes_no_replies_anywhere_below(work: Work) -> None:
    ada, reader = User.objects.get(username="ada"), _member("reader")
    root = do_post_comment(work, "Root", user=reader)
    reply = do_post_comment(work, "Reply", user=ada, parent=root)
    with pytest.raises(ActionError):
        do_freeze_thread(root, reader)
    do_freeze_thread(root, ada)
    for parent in (root, reply):
        with pytest.raises(ActionError, match="frozen"):
            do_post_comment(work, "More", user=reader, parent=parent)
    do_freeze_thread(root, ada, frozen=False)
    do_post_comment(work, "More", user=reader, parent=reply)


def test_edit_is_the_commenters_and_marks_the_comment_edited(work: Work) -> None:
    ada, reader = User.objects.get(username="ada"), _member("reader")
    comment = do_post_comment(work, "Frist", user=reader)
    with pytest.raises(ActionError):
        do_edit_comment(comment, ada, "Changed by the creator")
    do_edit_comment(comment, reader, "First <script>alert(1)</script>")
    comment.refresh_from_db()
    assert comment.edited_at is not None
    assert comment.body == "First"


def test_delete_keeps_a_place_for_replies_and_removes_a_leaf(work: Work) -> None:
    ada, reader = User.objects.get(username="ada"), _member("reader")
    root = do_post_comment(work, "Root", user=reader)
    reply = do_post_comment(work, "Reply", user=ada, parent=root)
    assert _count(work) == 2
    do_delete_comment(root, reader)
    root.refresh_from_db()
    assert root.deleted and root.body == ""
    assert _count(work) == 1
    with pytest.raises(ActionError):
        do_delete_comment(reply, reader)  # neither its commenter nor a creator
    do_delete_comment(reply, ada)
    # The deleted root's last reply went: nothing is left to keep its place for.
    assert not Comment.objects.filter(work=work).exists()
    assert _count(work) == 0


def test_spam_and_staff_hiding_leave_the_count_and_the_readers_view(work: Work) -> None:
    ada, reader = User.objects.get(username="ada"), _member("reader")
    staff = User.objects.create_user("mod", password="x", is_staff=True)
    comment = do_post_comment(work, "Buy now", user=reader)
    do_mark_spam(comment, ada)
    assert _count(work) == 0
    assert list(visible_comments(AnonymousUser(), work)) == []
    assert list(visible_comments(ada, work)) == [comment]
    do_mark_spam(comment, ada, spam=False)
    do_hide_comment(comment)
    assert _count(work) == 0
    assert list(visible_comments(ada, work)) == []
    assert list(visible_comments(staff, work)) == [comment]
    do_hide_comment(comment, hidden=False)
    assert _count(work) == 1


def test_a_blocked_user_cannot_comment_or_reply(work: Work) -> None:
    ada, pest = User.objects.get(username="ada"), _member("pest")
    root = do_post_comment(work, "Root", user=ada)
    do_block(ada, pest)
    with pytest.raises(ActionError, match="blocked"):
        do_post_comment(work, "Hi", user=pest)
    with pytest.raises(ActionError, match="blocked"):
        do_post_comment(work, "Hi", user=pest, parent=root)


def test_a_muted_users_comments_vanish_for_the_muter_only(work: Work) -> None:
    reader, loud = _member("reader"), _member("loud")
    comment = do_post_comment(work, "Loud", user=loud)
    do_mute(reader, loud)
    assert list(visible_comments(reader, work)) == []
    assert list(visible_comments(AnonymousUser(), work)) == [comment]


def test_chapter_comments_and_replies_stay_on_their_chapter(work: Work) -> None:
    reader = _member("reader")
    second = work.chapters.get(position=2)
    root = do_post_comment(work, "On two", user=reader, chapter=second)
    reply = do_post_comment(work, "Reply", user=reader, parent=root)
    assert reply.chapter == second
    assert set(visible_comments(reader, work, second)) == {root, reply}
    assert list(visible_comments(reader, work, work.chapters.get(position=1))) == []


def test_hostile_html_is_stripped_to_the_comment_allow_list() -> None:
    vectors = [line for line in VECTORS.read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert len(vectors) > 20
    for vector in vectors:
        clean = sanitize_comment(vector.replace("\\n", "\n"))
        tree = lxml.html.fragment_fromstring(f"<div>{clean}</div>")
        for element in tree.iterdescendants():
            assert element.tag in COMMENT_TAGS, (vector, clean)
            allowed = {"href", "rel"} if element.tag == "a" else set()
            assert set(element.attrib) <= allowed, (vector, clean)
            assert safe_url(element.get("href", "")), (vector, clean)
    assert sanitize_comment('<a href="https://x.org" onclick="e()">ok</a>') == (
        '<a href="https://x.org" rel="nofollow noopener ugc">ok</a>'
    )
    assert sanitize_comment("<table><tr><td>cell</td></tr></table>") == "cell"
    assert {"p", "a", "blockquote", "code"} <= COMMENT_TAGS and "img" not in COMMENT_TAGS
    assert sanitize_comment("one\ntwo\n\nthree <3") == "<p>one<br>two</p><p>three &lt;3</p>"


def test_the_counter_equals_the_rows_after_random_actions(make_work: Callable[..., Any]) -> None:
    rng = random.Random(14)
    work = make_work("Counted", owner="ada", chapters=1)
    ada = User.objects.get(username="ada")
    readers = [_member(f"r{n}") for n in range(3)]
    for _ in range(60):
        comments = list(Comment.objects.filter(work=work, deleted=False))
        move = rng.choice(["post", "reply", "delete", "spam", "hide", "moderate"])
        if move == "moderate":
            Work.objects.filter(pk=work.pk).update(moderate_comments=not work.moderate_comments)
            work.refresh_from_db()
        elif move == "post" or not comments:
            do_post_comment(work, "a comment", user=rng.choice(readers))
        else:
            target = rng.choice(comments)
            if (
                move == "reply"
                and target.approved
                and not target.hidden_as_spam
                and not target.hidden_by_admin
            ):
                do_post_comment(work, "a reply", user=rng.choice([ada, *readers]), parent=target)
            elif move == "delete":
                do_delete_comment(target, ada)
            elif move == "spam":
                do_mark_spam(target, ada, spam=not target.hidden_as_spam)
            elif move == "hide":
                do_hide_comment(target, hidden=not target.hidden_by_admin)
            elif not target.approved:
                do_approve_comment(target, ada)
        assert _count(work) == counted_comments(work.pk)
    assert _count(work) == visible_comments(AnonymousUser(), work).filter(deleted=False).count()


def test_loading_threads_in_bulk_cleans_counts_and_notifies_nobody(work: Work) -> None:
    from fanarchive.archive.actions.comments import do_load_comment_threads

    SearchOutbox.objects.all().delete()
    stored = do_load_comment_threads(
        work,
        None,
        [("<p>First</p><script>alert(1)</script>", ["<p>A reply</p>"]), ("<p>Second</p>", [])],
    )
    assert stored == Comment.objects.filter(work=work).count() == 3
    assert "script" not in "".join(Comment.objects.values_list("body", flat=True))
    assert StatCounter.objects.get(work=work).comments == 3
    assert list(SearchOutbox.objects.values_list("work_id", flat=True)) == [work.pk]
    assert not InboxItem.objects.exists()
