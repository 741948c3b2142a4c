from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.bookmarks import BookmarkFields, do_bookmark
from fanarchive.archive.actions.pseuds import do_create_pseud
from fanarchive.archive.models import Bookmark, Mute, SerialWork, Series, StatCounter, User, Work

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def _reader(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _mark(user: User, work: Work, **kwargs: object) -> Bookmark:
    fields = BookmarkFields(pseud=user.pseuds.get(is_default=True), **kwargs)  # type: ignore[arg-type]
    return do_bookmark(user, fields, work=work)


def test_a_member_bookmarks_from_the_work_page(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada")
    StatCounter.objects.filter(work=work).update(bookmarks=0)
    bea = _reader("bea")
    client = _as(bea)
    pseud = bea.pseuds.get()
    do_create_pseud(bea, "Quiet Pen")
    page = client.get(f"/works/{work.pk}", follow=True).content.decode()
    assert f'action="/works/{work.pk}/bookmark"' in page and 'name="csrfmiddlewaretoken"' in page
    # The work page posts under the default pseud and names none; the full form chooses.
    assert f'name="pseud" value="{pseud.pk}"' in page and "Quiet Pen" not in page
    assert "Quiet Pen" in client.get(f"/works/{work.pk}/bookmark").content.decode()
    response = client.post(
        f"/works/{work.pk}/bookmark",
        {
            "pseud": pseud.pk,
            "notes": '<p>So good</p><script>alert("x")</script><a href="javascript:x()">go</a>',
            "tags": "Comfort Read, zyxmine",
            "rec": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/users/bea/bookmarks"
    listing = client.get("/users/bea/bookmarks").content.decode()
    assert "Harbour Lights" in listing and "So good" in listing
    assert "Comfort Read" in listing and "zyxmine" in listing and ">Rec<" in listing
    assert "<script>alert" not in listing and "javascript:x" not in listing
    assert StatCounter.objects.get(work=work).bookmarks == 1
    # A second visit edits the bookmark: the work page's form now says so.
    again = client.get(f"/works/{work.pk}", follow=True).content.decode()
    bookmark = Bookmark.objects.get()
    assert f'action="/bookmarks/{bookmark.pk}/edit"' in again and "Comfort Read" in again
    assert client.get(f"/works/{work.pk}/bookmark")["Location"] == f"/bookmarks/{bookmark.pk}/edit"
    # Everyone sees the count on the work's blurb.
    listing = Client().get("/works").content.decode().replace("\n    ", "")
    assert f'<dt>Bookmarks:</dt><dd><a href="/works/{work.pk}/bookmarks">1</a></dd>' in listing


def test_a_guest_gets_no_form_and_is_sent_to_log_in(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada")
    guest = Client()
    assert 'class="bookmark-form"' not in guest.get(f"/works/{work.pk}", follow=True).content.decode()
    response = guest.post(f"/works/{work.pk}/bookmark", {"notes": "x"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not Bookmark.objects.exists()


def test_private_bookmarks_are_the_owners_alone(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada")
    other = make_work("Open Sea", owner="ada")
    bea = _reader("bea")
    _mark(bea, work, notes="zyxprivate thoughts", private=True)
    _mark(bea, other, notes="public thoughts")
    for client in (Client(), _as(_reader("cai"))):
        mine = client.get("/users/bea/bookmarks").content.decode()
        assert "public thoughts" in mine and "zyxprivate" not in mine and "1 of 1 Bookmark" in mine
        assert "zyxprivate" not in client.get(f"/works/{work.pk}/bookmarks").content.decode()
    owner = _as(bea).get("/users/bea/bookmarks").content.decode()
    assert "zyxprivate" in owner and "2 of 2 Bookmarks" in owner
    # The profile's count agrees with the list, for each viewer.
    make_work("Bea's Own", owner="bea")
    assert "Bookmarks (1)" in Client().get("/users/bea").content.decode()
    assert "Bookmarks (2)" in _as(bea).get("/users/bea").content.decode()


def test_a_bookmark_of_a_work_gone_from_view_is_gone_too(make_work: Callable[..., Work]) -> None:
    work = make_work("Zyxhidden Lights", owner="ada")
    keep = make_work("Open Sea", owner="ada")
    bea = _reader("bea")
    _mark(bea, work, notes="zyxnote")
    _mark(bea, keep)
    for flags in ({"posted": False}, {"hidden_by_admin": True}, {"restricted": True}):
        Work.objects.filter(pk=work.pk).update(posted=True, hidden_by_admin=False, restricted=False)
        Work.objects.filter(pk=work.pk).update(**flags)
        guest = Client()
        listing = guest.get("/users/bea/bookmarks").content.decode()
        assert "zyx" not in listing.lower() and "Open Sea" in listing
        missing = guest.get("/works/999999/bookmarks")
        response = guest.get(f"/works/{work.pk}/bookmarks")
        assert response.status_code == missing.status_code == 404
        assert response.content == missing.content
    # A member sees the restricted one's bookmark.
    assert "zyxnote" in _as(_reader("cai")).get("/users/bea/bookmarks").content.decode()


def test_a_muted_readers_bookmarks_vanish_for_the_muter(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada")
    bea, cai = _reader("bea"), _reader("cai")
    _mark(bea, work, notes="bea says hello")
    Mute.objects.create(user=cai, muted=bea)
    muter = _as(cai)
    assert "bea says hello" not in muter.get(f"/works/{work.pk}/bookmarks").content.decode()
    assert muter.get("/users/bea/bookmarks").status_code == 404
    assert "bea says hello" in Client().get(f"/works/{work.pk}/bookmarks").content.decode()


def test_the_sidebar_filters_by_work_tags_bookmark_tags_and_recs(make_work: Callable[..., Work]) -> None:
    sea = make_work("Open Sea", owner="ada", tags={"fandom": ["Tide Saga"], "freeform": ["Found Family"]})
    lights = make_work("Harbour Lights", owner="ada", tags={"fandom": ["Lamp Saga"]})
    bea = _reader("bea")
    _mark(bea, sea, tag_names=["Comfort"])
    _mark(bea, lights, tag_names=["Angst"], rec=True)
    guest = Client()

    def titles(query: str) -> set[str]:
        page = guest.get(f"/users/bea/bookmarks?{query}").content.decode()
        return {t for t in ("Open Sea", "Harbour Lights") if f">{t}</a>" in page}

    assert titles("") == {"Open Sea", "Harbour Lights"}
    assert titles("with=Tide+Saga") == {"Open Sea"}
    assert titles("with=found+family") == {"Open Sea"}
    assert titles("bookmark_tags=Angst") == {"Harbour Lights"}
    assert titles("bookmark_tags=comfort") == {"Open Sea"}
    assert titles("rec=1") == {"Harbour Lights"}
    assert titles("rec=1&with=Tide+Saga") == set()
    assert titles("with=No+Such+Tag") == set()
    # The bookmarker's tags are checkboxes with counts; every checked value is read.
    page = guest.get("/users/bea/bookmarks?bookmark_tags=Angst").content.decode()
    assert 'name="bookmark_tags" value="Angst" checked' in page and ">Angst (1)</label>" in page
    assert 'value="Comfort"' not in page
    assert ">Comfort (1)</label>" in guest.get("/users/bea/bookmarks").content.decode()
    assert titles("bookmark_tags=Angst&bookmark_tags=Comfort") == set()
    _mark(bea, make_work("Third", owner="ada"), tag_names=["Angst", "Comfort"])
    assert titles("bookmark_tags=Angst&bookmark_tags=Comfort") == set()
    both = guest.get("/users/bea/bookmarks?bookmark_tags=Angst&bookmark_tags=Comfort").content.decode()
    assert ">Third</a>" in both and "1 of 1 Bookmark" in both


def test_series_and_external_bookmarks(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada")
    series = Series.objects.create(title="Lights Series")
    SerialWork.objects.create(series=series, work=work, position=1)
    bea = _reader("bea")
    client = _as(bea)
    pseud = bea.pseuds.get().pk
    assert f'action="/series/{series.pk}/bookmark"' in client.get(f"/series/{series.pk}").content.decode()
    assert (
        client.post(f"/series/{series.pk}/bookmark", {"pseud": pseud, "notes": "whole arc"}).status_code
        == 302
    )
    refused = client.post(
        "/bookmarks/external/new",
        {"pseud": pseud, "url": "javascript:alert(1)", "title": "Far", "creator": "someone"},
    )
    assert refused.status_code == 200 and not Bookmark.objects.filter(external__isnull=False).exists()
    made = client.post(
        "/bookmarks/external/new",
        {
            "pseud": pseud,
            "url": "https://example.org/far",
            "title": "Far Shore",
            "creator": "someone",
            "fandoms": "Tide Saga",
            "summary": "<p>Far <b>away</b></p><iframe src='https://evil.example'></iframe>",
        },
    )
    assert made.status_code == 302
    page = Client().get("/users/bea/bookmarks").content.decode()
    assert "Lights Series" in page and "whole arc" in page
    assert 'href="https://example.org/far"' in page and "Far Shore" in page and "Tide Saga" in page
    assert "evil.example" not in page and "<b>away</b>" in page
    # bea has no works, yet her bookmarks page answers; her profile counts them alike.
    assert "2 of 2 Bookmarks" in page


def test_edit_and_delete_are_the_bookmarkers_alone(make_work: Callable[..., Work]) -> None:
    work = make_work("Harbour Lights", owner="ada")
    StatCounter.objects.filter(work=work).update(bookmarks=0)
    bea, cai = _reader("bea"), _reader("cai")
    bookmark = _mark(bea, work, notes="mine")
    intruder = _as(cai)
    missing = intruder.get("/bookmarks/999999/edit")
    for url in (f"/bookmarks/{bookmark.pk}/edit", f"/bookmarks/{bookmark.pk}/delete"):
        assert intruder.get(url).status_code == 404
        assert intruder.post(url, {"pseud": cai.pseuds.get().pk}).status_code == 404
    assert intruder.get(f"/bookmarks/{bookmark.pk}/edit").content == missing.content
    owner = _as(bea)
    response = owner.post(
        f"/bookmarks/{bookmark.pk}/edit", {"pseud": bea.pseuds.get().pk, "notes": "changed", "private": "on"}
    )
    assert response.status_code == 302
    bookmark.refresh_from_db()
    assert bookmark.notes == "changed" and bookmark.private
    assert StatCounter.objects.get(work=work).bookmarks == 0
    assert owner.post(f"/bookmarks/{bookmark.pk}/delete").status_code == 302
    assert not Bookmark.objects.exists()


def test_bookmarking_is_rate_limited_per_user(make_work: Callable[..., Work]) -> None:
    works = [make_work(f"Work {i}", owner="ada") for i in range(11)]
    bea = _reader("bea")
    client = _as(bea)
    pseud = bea.pseuds.get().pk
    answers = [client.post(f"/works/{w.pk}/bookmark", {"pseud": pseud}).status_code for w in works]
    assert answers[:10] == [302] * 10
    assert answers[10] == 429
    limited = client.post(f"/works/{works[10].pk}/bookmark", {"pseud": pseud})
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 60
    assert Bookmark.objects.count() == 10
    # Another reader is not held back by bea's posts.
    cai = _reader("cai")
    assert _as(cai).post(f"/works/{works[0].pk}/bookmark", {"pseud": cai.pseuds.get().pk}).status_code == 302


def test_a_list_page_costs_the_same_queries_however_many_bookmarks(make_work: Callable[..., Work]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bea = _reader("bea")
    guest = Client()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert guest.get("/users/bea/bookmarks").status_code == 200
        return len(captured.captured_queries)

    for i in range(2):
        _mark(bea, make_work(f"Work {i}", owner="ada"), tag_names=[f"Tag {i}"], notes="n")
    few = queries()
    for i in range(2, 12):
        _mark(bea, make_work(f"Work {i}", owner="ada"), tag_names=[f"Tag {i}"], notes="n")
    assert queries() == few
