"""The chapter actions: what they store, what they refuse, and that each queues a reindex."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.chapters import (
    ChapterText,
    do_add_chapter,
    do_delete_chapter,
    do_edit_chapter,
    do_post_chapter,
    do_reorder_chapters,
    do_set_chapter_count,
)
from fanarchive.archive.actions.works import do_set_work_flags
from fanarchive.archive.models import Chapter, SearchOutbox, Work
from fanarchive.domain.authored_text import MARKDOWN
from fanarchive.domain.limits import ReaderLimits
from fanarchive.domain.sanitize import SANITIZER_VERSION

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 3)


def _titles(work: Work) -> list[str]:
    return list(work.chapters.order_by("position").values_list("title", flat=True))


def _queued() -> list[int]:
    return list(SearchOutbox.objects.values_list("work_id", flat=True))


@pytest.fixture
def work(make_work: Callable[..., Work]) -> Work:
    made = make_work(chapters=3)
    SearchOutbox.objects.all().delete()
    return made


def test_a_posted_chapter_is_cleaned_counted_and_dates_the_work(work: Work) -> None:
    text = ChapterText(
        title="  Storm  ",
        body="Ada *ran* to the [light](javascript:alert(1)).\n\n<script>alert(2)</script>Then it rained.",
        notes="<b onclick='x()'>Before</b>",
        text_format=MARKDOWN,
    )
    words = work.word_count
    chapter = do_add_chapter(work, text, posted=True, today=DAY)
    assert (chapter.position, chapter.title, chapter.published) == (4, "Storm", DAY)
    assert "<em>ran</em>" in chapter.body and "script" not in chapter.body
    assert "javascript" not in chapter.body and "onclick" not in chapter.notes
    assert chapter.sanitizer_version == SANITIZER_VERSION
    assert chapter.word_count == 8
    work.refresh_from_db()
    assert (work.word_count, work.updated) == (words + 8, DAY)
    assert _queued() == [work.pk]


def test_a_chapter_draft_counts_once_posted(work: Work) -> None:
    words, updated = work.word_count, work.updated
    draft = do_add_chapter(work, ChapterText(body="<p>Four words in draft.</p>"), posted=False, today=DAY)
    work.refresh_from_db()
    assert (draft.posted, draft.published, work.word_count, work.updated) == (False, None, words, updated)
    assert work.chapter_count == 3

    assert do_post_chapter(draft, today=DAY)
    assert not do_post_chapter(draft, today=DAY)  # a second click changes nothing
    work.refresh_from_db()
    draft.refresh_from_db()
    assert (draft.posted, draft.published, work.word_count, work.updated) == (True, DAY, words + 4, DAY)


def test_text_is_required_and_markdown_links_are_bounded(work: Work) -> None:
    with pytest.raises(ActionError, match="some text"):
        do_add_chapter(work, ChapterText(body="<script>only this</script>"), posted=True)
    art = do_add_chapter(
        work, ChapterText(body='<img src="https://example.org/art.png" alt="">'), posted=True
    )
    assert (art.word_count, art.body) == (0, '<p><img src="https://example.org/art.png" alt=""></p>')
    with pytest.raises(ActionError, match="links"):
        do_add_chapter(work, ChapterText(body="[a](b)" * 5001, text_format=MARKDOWN), posted=True)
    assert work.chapters.count() == 4


def test_a_work_holds_as_many_chapters_as_an_import_may(work: Work, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fanarchive.archive.actions.chapters.DEFAULT_LIMITS", ReaderLimits(max_chapters=4))
    do_add_chapter(work, ChapterText(body="<p>Four.</p>"), posted=True)
    with pytest.raises(ActionError, match="at most 4 chapters"):
        do_add_chapter(work, ChapterText(body="<p>Five.</p>"), posted=True)
    assert work.chapters.count() == 4


def test_editing_recounts_posted_words_only(work: Work) -> None:
    first = work.chapters.get(position=1)
    do_edit_chapter(first, ChapterText(body="<p>One two.</p>", title="Short"))
    draft = do_add_chapter(work, ChapterText(body="<p>Not counted at all.</p>"), posted=False)
    do_edit_chapter(draft, ChapterText(body="<p>Still not counted, draft.</p>"))
    work.refresh_from_db()
    posted = Chapter.objects.filter(work=work, posted=True).values_list("word_count", flat=True)
    assert work.word_count == sum(posted)
    assert Chapter.objects.get(pk=first.pk).title == "Short"


def test_reordering_renumbers_without_breaking_unique_positions(work: Work) -> None:
    ids = list(work.chapters.order_by("position").values_list("pk", flat=True))
    do_reorder_chapters(work, list(reversed(ids)))
    assert _titles(work) == ["Tide 3", "Tide 2", "Tide 1"]
    assert list(work.chapters.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
    assert _queued() == [work.pk]
    with pytest.raises(ActionError):
        do_reorder_chapters(work, ids[:2])
    with pytest.raises(ActionError):
        do_reorder_chapters(work, [ids[0], ids[0], ids[1]])


def test_deleting_closes_the_gap_and_keeps_one_chapter(work: Work, make_work: Callable[..., Work]) -> None:
    do_delete_chapter(work.chapters.get(position=2))
    assert _titles(work) == ["Tide 1", "Tide 3"]
    assert list(work.chapters.values_list("position", flat=True)) == [1, 2]
    work.refresh_from_db()
    assert work.word_count == sum(work.chapters.values_list("word_count", flat=True))
    assert _queued() == [work.pk]

    single = make_work(chapters=1)
    with pytest.raises(ActionError, match="at least one chapter"):
        do_delete_chapter(single.chapters.get())
    draft = do_add_chapter(single, ChapterText(body="<p>Draft.</p>"), posted=False)
    with pytest.raises(ActionError, match="only posted chapter"):
        do_delete_chapter(single.chapters.get(position=1))
    do_delete_chapter(Chapter.objects.get(pk=draft.pk))
    # A draft work may lose its posted chapters: nobody reads it yet.
    do_set_work_flags(single, posted=False, restricted=False, hidden_by_admin=False)
    do_add_chapter(single, ChapterText(body="<p>Second.</p>"), posted=False)
    do_delete_chapter(single.chapters.get(position=1))
    assert single.chapters.count() == 1


def test_expected_count_and_complete(work: Work) -> None:
    do_set_chapter_count(work, expected=None, complete=False)
    work.refresh_from_db()
    assert (work.expected_chapters, work.complete) == (None, False)
    with pytest.raises(ActionError, match="3 posted chapters"):
        do_set_chapter_count(work, expected=2, complete=False)
    do_set_chapter_count(work, expected=5, complete=False)
    do_set_chapter_count(work, expected=None, complete=True)
    work.refresh_from_db()
    assert (work.expected_chapters, work.complete) == (3, True)
    # Posting past the expected count: the work now expects what it has.
    do_add_chapter(work, ChapterText(body="<p>An epilogue.</p>"), posted=True)
    work.refresh_from_db()
    assert work.expected_chapters == 4
    assert _queued() == [work.pk] * 4
