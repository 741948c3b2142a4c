"""Posting actions: a work made from the New Work form's fields, drafts, posting, edits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.posting import (
    INSPIRED_BY,
    RelatedLink,
    WorkFields,
    do_create_work,
    do_post_work,
    do_update_work,
    render_text,
)
from fanarchive.archive.models import (
    Creatorship,
    FilterTagging,
    SearchOutbox,
    SerialWork,
    Series,
    Tag,
    User,
    Work,
)
from fanarchive.domain.authored_text import MARKDOWN

pytestmark = pytest.mark.django_db


@pytest.fixture
def author() -> User:
    user = User.objects.create_user("writer", password="x")
    do_ensure_default_pseud(user)
    return user


def _fields(user: User, **changes: Any) -> WorkFields:
    fields = WorkFields(
        title="Lighthouse Hours",
        rating="Teen And Up Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Saltmarsh Chronicles"],
        categories=["Gen"],
        characters=["Ada Renner", "A Brand New Keeper"],
        freeforms=["Found Family"],
        pseuds=[user.pseuds.get()],
        chapter_title="First Light",
        chapter_text="The lamp turned.\n\nAda counted the gulls, one two three.",
        summary="A *quiet* night.",
    )
    for name, value in changes.items():
        setattr(fields, name, value)
    return fields


def test_a_draft_keeps_everything_in_order_and_reaches_nobody(author: User) -> None:
    SearchOutbox.objects.all().delete()
    work = do_create_work(author, _fields(author), post=False)
    assert not work.posted and work.published == timezone.localdate()
    chapter = work.chapters.get()
    assert not chapter.posted and chapter.title == "First Light"
    assert chapter.body == "<p>The lamp turned.</p>\n<p>Ada counted the gulls, one two three.</p>"
    # Readers see posted chapters only, and a draft's word count is theirs until it is posted.
    assert chapter.word_count == 10 and work.word_count == 0
    names = list(work.taggings.order_by("position").values_list("tag__name", flat=True))
    assert names == [
        "Teen And Up Audiences",
        "No Archive Warnings Apply",
        "Gen",
        "Saltmarsh Chronicles",
        "Ada Renner",
        "A Brand New Keeper",
        "Found Family",
    ]
    new = Tag.objects.get(name="A Brand New Keeper")
    assert new.kind == "character" and not new.canonical
    assert Tag.objects.get(name="Teen And Up Audiences").canonical
    assert FilterTagging.objects.filter(work=work, tag=new).exists()
    assert Creatorship.objects.get(work=work).pseud.user == author
    assert SearchOutbox.objects.filter(work_id=work.pk).exists()


def test_posting_a_draft_dates_it_today_and_posts_its_first_chapter(author: User) -> None:
    work = do_create_work(author, _fields(author), post=False)
    Work.objects.filter(pk=work.pk).update(published=dt.date(2020, 1, 1), updated=dt.date(2020, 1, 1))
    work.refresh_from_db()
    SearchOutbox.objects.all().delete()
    do_post_work(work, author)
    work.refresh_from_db()
    assert work.posted and work.published == work.updated == timezone.localdate()
    assert work.chapters.get().posted and work.word_count == 10
    assert SearchOutbox.objects.filter(work_id=work.pk).exists()
    with pytest.raises(ActionError, match="already posted"):
        do_post_work(work, author)
    stranger = User.objects.create_user("stranger")
    draft = do_create_work(author, _fields(author), post=False)
    with pytest.raises(ActionError):
        do_post_work(draft, stranger)


def test_only_ones_own_pseuds_and_series(author: User, make_work: Callable[..., Work]) -> None:
    other = User.objects.create_user("other")
    theirs = do_ensure_default_pseud(other)
    with pytest.raises(ActionError, match="your own pseuds"):
        do_create_work(author, _fields(author, pseuds=[theirs]), post=True)
    imported = make_work()
    series = Series.objects.create(title="Not Mine")
    SerialWork.objects.create(series=series, work=imported)
    with pytest.raises(ActionError, match="series of your own"):
        do_create_work(author, _fields(author, series=series), post=True)
    assert not Work.objects.filter(title="Lighthouse Hours").exists()


def test_series_new_then_existing_at_the_end(author: User) -> None:
    first = do_create_work(author, _fields(author, new_series_title="Harbour Lights"), post=True)
    series = Series.objects.get(title="Harbour Lights")
    second = do_create_work(author, _fields(author, title="Second", series=series), post=True)
    assert list(series.serial_works.values_list("work_id", "position")) == [(first.pk, 1), (second.pk, 2)]


def test_cocreators_are_invited_not_credited(author: User) -> None:
    friend = User.objects.create_user("friend")
    pseud = do_ensure_default_pseud(friend)
    work = do_create_work(author, _fields(author, cocreators=[pseud]), post=True)
    invited = Creatorship.objects.get(work=work, pseud=pseud)
    assert not invited.accepted
    assert Creatorship.objects.get(work=work, pseud__user=author).accepted
    # Editing again does not invite twice.
    do_update_work(work, author, _fields(author, cocreators=[pseud]))
    assert Creatorship.objects.filter(work=work, pseud=pseud).count() == 1


def test_related_links_reach_only_works_the_author_may_see(
    author: User, make_work: Callable[..., Work]
) -> None:
    seen = make_work("Seen Work")
    hidden = make_work("Hidden Work")
    Work.objects.filter(pk=hidden.pk).update(posted=False)
    work = do_create_work(
        author, _fields(author, related=[RelatedLink(INSPIRED_BY, work_id=seen.pk)]), post=True
    )
    link = work.related.get()
    assert link.target == seen and link.title == "Seen Work"
    with pytest.raises(ActionError, match="no such work"):
        do_update_work(work, author, _fields(author, related=[RelatedLink(INSPIRED_BY, work_id=hidden.pk)]))
    with pytest.raises(ActionError, match="web address"):
        do_update_work(
            work, author, _fields(author, related=[RelatedLink(INSPIRED_BY, url="javascript:alert(1)")])
        )
    outside = RelatedLink(INSPIRED_BY, url="https://example.org/story")
    do_update_work(work, author, _fields(author, related=[outside]))
    link = work.related.get()
    assert link.target is None and link.url == "https://example.org/story"


def test_editing_replaces_tags_and_the_single_chapter(author: User) -> None:
    work = do_create_work(author, _fields(author), post=True)
    do_update_work(
        work, author, _fields(author, characters=[], freeforms=["Storms"], chapter_text="<p>Only this.</p>")
    )
    work.refresh_from_db()
    assert "Storms" in work.taggings.values_list("tag__name", flat=True)
    assert "Ada Renner" not in work.taggings.values_list("tag__name", flat=True)
    assert work.chapters.get().body == "<p>Only this.</p>" and work.word_count == 2


def test_editing_a_work_of_several_chapters_leaves_its_chapters(
    author: User, make_work: Callable[..., Work]
) -> None:
    work = make_work(chapters=2)
    Creatorship.objects.create(work=work, pseud=author.pseuds.get(), accepted=True)
    bodies = list(work.chapters.values_list("body", flat=True))
    do_update_work(work, author, _fields(author, chapter_text=""))
    assert list(work.chapters.values_list("body", flat=True)) == bodies
    assert work.title == "Lighthouse Hours"


def test_an_invited_creator_cannot_edit(author: User) -> None:
    friend = User.objects.create_user("friend")
    pseud = do_ensure_default_pseud(friend)
    work = do_create_work(author, _fields(author, cocreators=[pseud]), post=True)
    with pytest.raises(ActionError, match="Only a creator"):
        do_update_work(work, friend, _fields(friend, pseuds=[pseud]))


def test_text_formats_and_hostile_html() -> None:
    assert render_text("Some *emphasis*\n\n- a\n- b", MARKDOWN) == (
        "<p>Some <em>emphasis</em></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    )
    assert render_text("<p>ok</p><script>alert(1)</script>", "html") == "<p>ok</p>"
    assert render_text('[x](javascript:alert(1)) <img src=x onerror="alert(1)">', MARKDOWN) == (
        '<p><a rel="nofollow noopener">x</a> <img src="x"></p>'
    )
    assert render_text("one <b>bold</b>\nline", "html") == "<p>one <b>bold</b><br>line</p>"


def test_text_that_is_only_hostile_is_refused(author: User) -> None:
    with pytest.raises(ActionError, match="chapter text is empty"):
        do_create_work(author, _fields(author, chapter_text="<script>alert(1)</script>"), post=True)


def test_a_name_is_one_tag_of_one_kind(author: User) -> None:
    do_create_work(author, _fields(author), post=True)
    with pytest.raises(ActionError, match="ada renner is already a character tag"):
        do_create_work(author, _fields(author, fandoms=["ada renner"]), post=True)
    assert Work.objects.count() == 1


def test_a_one_shot_is_complete_and_a_chaptered_work_expects_its_count(author: User) -> None:
    one_shot = do_create_work(author, _fields(author), post=True)
    assert (one_shot.expected_chapters, one_shot.complete) == (1, True)
    chaptered = do_create_work(author, _fields(author, multichapter=True, expected_chapters=3), post=True)
    assert (chaptered.expected_chapters, chaptered.complete) == (3, False)
    unknown = do_create_work(author, _fields(author, multichapter=True), post=True)
    assert (unknown.expected_chapters, unknown.complete) == (None, False)
