from __future__ import annotations

from collections.abc import Callable

import pytest

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.bookmarks import (
    BookmarkFields,
    ExternalFields,
    do_bookmark,
    do_bookmark_external,
    do_delete_bookmark,
    do_edit_bookmark,
)
from fanarchive.archive.actions.pseuds import do_create_pseud
from fanarchive.archive.models import (
    Bookmark,
    ExternalWork,
    SearchOutbox,
    SerialWork,
    Series,
    StatCounter,
    Tag,
    User,
    Work,
)
from fanarchive.domain.sanitize import SANITIZER_VERSION

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="steal()">Loved it</p><script>alert(1)</script>'
    '<a href="javascript:alert(2)">click</a><img src=x onerror="alert(3)"><style>p{}</style>'
)


def _reader(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


def _fields(user: User, **kwargs: object) -> BookmarkFields:
    return BookmarkFields(pseud=user.pseuds.get(is_default=True), **kwargs)  # type: ignore[arg-type]


def _count(work: Work) -> int:
    return StatCounter.objects.get(work=work).bookmarks


def test_the_counter_is_the_works_public_bookmarks(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada")
    StatCounter.objects.filter(work=work).update(bookmarks=0)
    bea, cai = _reader("bea"), _reader("cai")
    SearchOutbox.objects.all().delete()
    public = do_bookmark(bea, _fields(bea), work=work)
    assert _count(work) == 1
    assert SearchOutbox.objects.filter(work_id=work.pk).exists()
    private = do_bookmark(cai, _fields(cai, private=True), work=work)
    assert _count(work) == 1
    do_edit_bookmark(private, cai, _fields(cai, private=False))
    assert _count(work) == 2
    do_delete_bookmark(public)
    assert _count(work) == 1 == Bookmark.objects.filter(work=work, private=False).count()


def test_one_bookmark_per_reader_whichever_pseud(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada")
    bea = _reader("bea")
    other = do_create_pseud(bea, "Bea Elsewhere")
    do_bookmark(bea, _fields(bea), work=work)
    with pytest.raises(ActionError, match="already"):
        do_bookmark(bea, BookmarkFields(pseud=other), work=work)
    assert Bookmark.objects.filter(work=work).count() == 1


def test_a_reader_bookmarks_only_under_their_own_pseuds(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada")
    bea, cai = _reader("bea"), _reader("cai")
    with pytest.raises(ActionError, match="own pseuds"):
        do_bookmark(bea, _fields(cai), work=work)
    assert not Bookmark.objects.exists()


def test_notes_are_sanitised_and_tags_are_the_bookmarkers(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada")
    bea = _reader("bea")
    bookmark = do_bookmark(
        bea, _fields(bea, notes=HOSTILE, tag_names=["To Reread", "to reread", "Comfort"], rec=True), work=work
    )
    bookmark.refresh_from_db()
    for bad in ("script", "onclick", "javascript", "onerror", "alert", "<style"):
        assert bad not in bookmark.notes
    assert "Loved it" in bookmark.notes
    assert bookmark.sanitizer_version == SANITIZER_VERSION
    assert bookmark.rec
    assert sorted(t.name for t in bookmark.tags.all()) == ["Comfort", "To Reread"]
    assert Tag.objects.get(name="Comfort").kind == "freeform"
    # The work's own tags are untouched.
    assert not work.taggings.filter(tag__name="Comfort").exists()


def test_a_series_bookmark_counts_on_no_work(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada")
    series = Series.objects.create(title="Lights")
    SerialWork.objects.create(series=series, work=work, position=1)
    StatCounter.objects.filter(work=work).update(bookmarks=0)
    bea = _reader("bea")
    bookmark = do_bookmark(bea, _fields(bea), series=series)
    assert bookmark.series_id == series.pk and bookmark.work_id is None
    assert _count(work) == 0
    with pytest.raises(ActionError):
        do_bookmark(bea, _fields(bea), work=work, series=series)


def test_an_external_work_is_cleaned_and_goes_with_its_last_bookmark() -> None:
    bea = _reader("bea")
    external = ExternalFields(
        title="  Far   Shore ",
        url="https://example.org/far-shore",
        creator="someone",
        fandom_names=["Tide Saga", ""],
        summary=HOSTILE,
    )
    bookmark = do_bookmark_external(bea, external, _fields(bea, notes="<em>yes</em>"))
    work = ExternalWork.objects.get()
    assert work.title == "Far Shore"
    assert [t.name for t in work.fandoms.all()] == ["Tide Saga"]
    assert "script" not in work.summary and "javascript" not in work.summary and "Loved it" in work.summary
    assert bookmark.notes == "<em>yes</em>"
    do_edit_bookmark(bookmark, bea, _fields(bea), ExternalFields("Near Shore", "http://example.org/n", "x"))
    work.refresh_from_db()
    assert (work.title, work.url) == ("Near Shore", "http://example.org/n")
    assert not work.fandoms.exists()
    do_delete_bookmark(bookmark)
    assert not ExternalWork.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/x", ""])
def test_an_external_work_needs_a_web_address(url: str) -> None:
    bea = _reader("bea")
    with pytest.raises(ActionError, match="web address"):
        do_bookmark_external(bea, ExternalFields("T", url, "c"), _fields(bea))
    assert not ExternalWork.objects.exists() and not Bookmark.objects.exists()


def test_a_deleted_account_takes_its_bookmarks_and_their_counts(make_work: Callable[..., Work]) -> None:
    from fanarchive.archive.actions.accounts import do_delete_account

    work = make_work("Harbour Lights", owner="ada")
    StatCounter.objects.filter(work=work).update(bookmarks=0)
    bea, cai = _reader("bea"), _reader("cai")
    do_bookmark(bea, _fields(bea), work=work)
    do_bookmark(cai, _fields(cai), work=work)
    do_bookmark_external(bea, ExternalFields("Far", "https://example.org/far", "x"), _fields(bea))
    assert _count(work) == 2
    do_delete_account(bea, orphan_works=True)
    assert _count(work) == 1 == Bookmark.objects.count()
    assert not ExternalWork.objects.exists()
