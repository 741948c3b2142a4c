"""Issue 14: a work's kudos, comment and bookmark counters stay equal to the rows they count,
whatever sequence of reader, creator and staff actions came before (seeded random runs through
the real actions, then a recount of every surviving work)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from typing import Any

import pytest

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.accounts import do_delete_account
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.blocks import do_block, do_unblock
from fanarchive.archive.actions.bookmarks import (
    BookmarkFields,
    do_bookmark,
    do_delete_bookmark,
    do_edit_bookmark,
)
from fanarchive.archive.actions.chapters import do_delete_chapter
from fanarchive.archive.actions.comments import (
    counted_comments,
    do_approve_comment,
    do_delete_comment,
    do_edit_comment,
    do_hide_comment,
    do_mark_spam,
    do_post_comment,
)
from fanarchive.archive.actions.exclusions import do_mute
from fanarchive.archive.actions.kudos import do_leave_kudos, guest_hash
from fanarchive.archive.actions.pseuds import do_create_pseud, do_delete_pseud
from fanarchive.archive.actions.works import do_delete_work
from fanarchive.archive.models import Bookmark, Chapter, Comment, Kudos, Pseud, StatCounter, User, Work

pytestmark = pytest.mark.django_db

STEPS = 200
OWNERS = ("harbourmaster", "lampwright")


class Run:
    """The archive under test: works of two owners, readers who come and go, and the actions
    drawn for them from one seeded generator."""

    def __init__(self, rng: random.Random, make_work: Callable[..., Work]) -> None:
        self.rng = rng
        self.names = itertools.count(1)
        self.owners = {name: None for name in OWNERS}
        self.work_ids: list[int] = []
        for n in range(5):
            owner = OWNERS[n % 2]
            # stats={}: an imported work's source counts have no rows behind them; these start at 0.
            work = make_work(f"Tide Table {n}", owner=owner, stats={})
            self.work_ids.append(work.pk)
        Work.objects.filter(pk=self.work_ids[1]).update(moderate_comments=True)
        Work.objects.filter(pk=self.work_ids[2]).update(comment_permission="users")
        self.readers: list[int] = [self.new_reader().pk for _ in range(4)]

    def new_reader(self) -> User:
        user = User.objects.create_user(f"reader{next(self.names)}", password="x")
        do_ensure_default_pseud(user)
        return user

    def pick(self, items: list[Any]) -> Any:
        return self.rng.choice(items) if items else None

    def work(self) -> Work | None:
        ids = list(Work.objects.filter(pk__in=self.work_ids).values_list("pk", flat=True))
        return Work.objects.filter(pk=self.pick(sorted(ids))).first() if ids else None

    def owner(self, work: Work) -> User:
        return User.objects.get(pseuds__creatorships__work=work, pseuds__creatorships__accepted=True)

    def someone(self) -> User | None:
        """A reader, an owner (refused on their own work), or a guest (None)."""
        roll = self.rng.random()
        if roll < 0.15:
            return None
        if roll < 0.25:
            return User.objects.get(username=self.rng.choice(OWNERS))
        return User.objects.get(pk=self.pick(self.readers))

    def comment(self) -> Comment | None:
        return Comment.objects.filter(
            pk=self.pick(sorted(Comment.objects.values_list("pk", flat=True)))
        ).first()

    # Each step may be refused (ActionError): a refused action must leave the counters as they were.

    def kudos(self) -> None:
        work, user = self.work(), self.someone()
        if work is not None:
            do_leave_kudos(work, user, guest_hash(f"guest{self.rng.randrange(3)}@example.org", work.pk))

    def post_comment(self) -> None:
        work, user = self.work(), self.someone()
        if work is None:
            return
        parent = Comment.objects.filter(
            pk=self.pick(sorted(Comment.objects.filter(work=work).values_list("pk", flat=True)))
        ).first()
        chapter = None
        if parent is None and self.rng.random() < 0.7:
            chapter = self.pick(list(Chapter.objects.filter(work=work).order_by("pk")))
        do_post_comment(
            work,
            f"<p>Step comment {next(self.names)}</p>",
            user=user,
            guest_name="Passing Sailor" if user is None else "",
            guest_email="sailor@example.org" if user is None else "",
            chapter=chapter,
            parent=parent,
        )

    def edit_comment(self) -> None:
        comment = self.comment()
        if comment is not None and comment.pseud is not None:
            do_edit_comment(comment, comment.pseud.user, "<p>Edited.</p>")

    def delete_comment(self) -> None:
        comment = self.comment()
        if comment is None:
            return
        if comment.pseud is not None and self.rng.random() < 0.5:
            do_delete_comment(comment, comment.pseud.user)
        else:
            do_delete_comment(comment, self.owner(comment.work))

    def approve_comment(self) -> None:
        held = list(Comment.objects.filter(approved=False).order_by("pk"))
        comment = self.pick(held)
        if comment is not None:
            do_approve_comment(comment, self.owner(comment.work))

    def spam_comment(self) -> None:
        comment = self.comment()
        if comment is not None:
            # Now and then a reader tries it: refused.
            who = (
                self.owner(comment.work) if self.rng.random() < 0.8 else User.objects.get(pk=self.readers[0])
            )
            do_mark_spam(comment, who, spam=not comment.hidden_as_spam)

    def hide_comment(self) -> None:
        comment = self.comment()
        if comment is not None:
            do_hide_comment(comment, hidden=not comment.hidden_by_admin)

    def bookmark(self) -> None:
        work, user = self.work(), User.objects.get(pk=self.pick(self.readers))
        if work is None:
            return
        pseud = self.pick(list(user.pseuds.order_by("pk")))
        do_bookmark(user, BookmarkFields(pseud=pseud, private=self.rng.random() < 0.3), work=work)

    def edit_bookmark(self) -> None:
        bookmark = self.pick(list(Bookmark.objects.filter(work__isnull=False).order_by("pk")))
        if bookmark is not None:
            user = bookmark.pseud.user
            do_edit_bookmark(
                bookmark, user, BookmarkFields(pseud=bookmark.pseud, private=not bookmark.private)
            )

    def delete_bookmark(self) -> None:
        bookmark = self.pick(list(Bookmark.objects.filter(work__isnull=False).order_by("pk")))
        if bookmark is not None:
            do_delete_bookmark(bookmark)

    def create_pseud(self) -> None:
        user = User.objects.get(pk=self.pick(self.readers))
        do_create_pseud(user, f"Alias {next(self.names)}", default=self.rng.random() < 0.3)

    def delete_pseud(self) -> None:
        pseud = self.pick(list(Pseud.objects.filter(user_id__in=self.readers).order_by("pk")))
        if pseud is not None:
            do_delete_pseud(pseud)

    def block(self) -> None:
        owner = User.objects.get(username=self.rng.choice(OWNERS))
        reader = User.objects.get(pk=self.pick(self.readers))
        if self.rng.random() < 0.6:
            do_block(owner, reader)
        else:
            do_unblock(owner, reader)

    def mute(self) -> None:
        reader = User.objects.get(pk=self.pick(self.readers))
        do_mute(reader, User.objects.get(username=self.rng.choice(OWNERS)))

    def delete_account(self) -> None:
        gone = self.readers.pop(self.rng.randrange(len(self.readers)))
        do_delete_account(User.objects.get(pk=gone), orphan_works=True)
        self.readers.append(self.new_reader().pk)

    def delete_chapter(self) -> None:
        work = self.work()
        if work is not None:
            do_delete_chapter(self.pick(list(work.chapters.order_by("pk"))))

    def delete_work(self) -> None:
        work = self.work()
        if work is not None and len(self.work_ids) > 3:
            self.work_ids.remove(work.pk)
            do_delete_work(work)


WEIGHTS: dict[Callable[[Run], None], int] = {
    Run.kudos: 12,
    Run.post_comment: 16,
    Run.edit_comment: 3,
    Run.delete_comment: 6,
    Run.approve_comment: 4,
    Run.spam_comment: 4,
    Run.hide_comment: 3,
    Run.bookmark: 10,
    Run.edit_bookmark: 5,
    Run.delete_bookmark: 4,
    Run.create_pseud: 3,
    Run.delete_pseud: 3,
    Run.block: 3,
    Run.mute: 1,
    Run.delete_account: 2,
    Run.delete_chapter: 1,
    Run.delete_work: 1,
}


def _mismatches(work_ids: list[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """Per work, each counter that differs from its rows: (counter, rows)."""
    found = {}
    for stats in StatCounter.objects.filter(work_id__in=work_ids).order_by("work_id"):
        rows = {
            "kudos": Kudos.objects.filter(work_id=stats.work_id).count(),
            "comments": counted_comments(stats.work_id),
            "bookmarks": Bookmark.objects.filter(work_id=stats.work_id, private=False).count(),
        }
        wrong = {
            name: (getattr(stats, name), count)
            for name, count in rows.items()
            if getattr(stats, name) != count
        }
        if wrong:
            found[stats.work_id] = wrong
    return found


@pytest.mark.parametrize("seed", [14, 1414, 2026])
def test_counters_equal_their_rows_after_a_random_run(seed: int, make_work: Callable[..., Work]) -> None:
    rng = random.Random(seed)
    run = Run(rng, make_work)
    steps, weights = list(WEIGHTS), list(WEIGHTS.values())
    refused = 0
    for number in range(STEPS):
        step = rng.choices(steps, weights)[0]
        try:
            step(run)
        except ActionError:
            refused += 1
        # Checked after every step, so that a failure names the action that broke the count.
        assert _mismatches(run.work_ids) == {}, f"after step {number}: {step.__name__}"
    # The run did reach what it claims to test: rows of every kind, and refusals among the steps.
    assert Kudos.objects.filter(work_id__in=run.work_ids).exists()
    assert Comment.objects.filter(work_id__in=run.work_ids, approved=True).exists()
    assert Bookmark.objects.filter(work_id__in=run.work_ids, private=False).exists()
    assert refused > 0
    assert sum(StatCounter.objects.filter(work_id__in=run.work_ids).values_list("comments", flat=True)) > 0


def test_deleting_a_chapter_uncounts_the_comments_on_it(make_work: Callable[..., Work]) -> None:
    work = make_work("Three Tides", owner="harbourmaster", stats={})
    reader = User.objects.create_user("gullwatcher", password="x")
    do_ensure_default_pseud(reader)
    second = work.chapters.order_by("position")[1]
    root = do_post_comment(work, "<p>On the second tide.</p>", user=reader, chapter=second)
    do_post_comment(work, "<p>A reply there.</p>", user=reader, parent=root)
    do_post_comment(work, "<p>On the whole work.</p>", user=reader)
    assert StatCounter.objects.get(work=work).comments == 3
    do_delete_chapter(second)
    assert counted_comments(work.pk) == 1
    assert StatCounter.objects.get(work=work).comments == 1


def test_a_deleted_accounts_kudos_stay_as_a_guests(make_work: Callable[..., Work], client: Any) -> None:
    """AO3 keeps a deleted account's kudos: the row stays without its user (Kudos.user is set
    null), the count does not move, and the work's page counts it among the guests."""
    work = make_work("Three Tides", owner="harbourmaster", stats={})
    stays, goes = (User.objects.create_user(name, password="x") for name in ("stays", "goes"))
    assert do_leave_kudos(work, stays, "") and do_leave_kudos(work, goes, "")
    assert do_leave_kudos(work, None, guest_hash("wanderer@example.org", work.pk))
    do_delete_account(goes, orphan_works=True)
    assert StatCounter.objects.get(work=work).kudos == Kudos.objects.filter(work=work).count() == 3
    assert Kudos.objects.filter(work=work, user__isnull=True).count() == 2
    page = " ".join(client.get(f"/works/{work.pk}", follow=True).content.decode().split())
    assert "stays</span>" in page and "goes" not in page
    assert "and 2 guests</span> left kudos on this work!" in page
    # The next member's kudos still counts once, beside the anonymous ones.
    assert do_leave_kudos(work, User.objects.create_user("later", password="x"), "")
    assert StatCounter.objects.get(work=work).kudos == Kudos.objects.filter(work=work).count() == 4


def test_an_imported_works_declared_counts_stay_under_the_rows_counted_here(
    make_work: Callable[..., Work],
) -> None:
    """A work imported with its source's figures keeps them: what readers do here adds to them,
    and a recount (a comment or bookmark removed, a chapter deleted) counts the rows here on top
    of the declared figures, never instead of them."""
    declared = {"hits": 400, "kudos": 30, "comments": 50, "bookmarks": 7}
    work = make_work("Borrowed Tides", owner="harbourmaster", stats=declared)
    reader = User.objects.create_user("gullwatcher", password="x")
    pseud = do_ensure_default_pseud(reader)

    def counters() -> tuple[int, int, int]:
        stats = StatCounter.objects.get(work=work)
        return stats.kudos, stats.comments, stats.bookmarks

    assert counters() == (30, 50, 7)
    comment = do_post_comment(work, "<p>Read it on the old site too.</p>", user=reader)
    bookmark = do_bookmark(reader, BookmarkFields(pseud=pseud), work=work)
    assert do_leave_kudos(work, reader, "")
    assert counters() == (31, 51, 8)
    do_delete_comment(comment, reader)
    do_delete_bookmark(bookmark)
    assert counters() == (31, 50, 7)
    do_delete_chapter(work.chapters.order_by("position")[1])
    assert counters() == (31, 50, 7)
