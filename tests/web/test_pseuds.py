from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.actions.pseuds import do_create_pseud
from fanarchive.archive.models import Bookmark, Creatorship, Pseud, SerialWork, Series, User, Work

pytestmark = pytest.mark.django_db


def _wren(make_work: Callable[..., Work]) -> tuple[User, Work, Work]:
    """wren writes "Open Sea" as wren and "Night Tide" as Night Wren, and has a draft as Draft Wren."""
    open_sea = make_work("Open Sea", owner="wren")
    wren = User.objects.get(username="wren")
    night = do_create_pseud(wren, "Night Wren", description="The darker tides.")
    night_tide = make_work("Night Tide", owner="wren")
    Creatorship.objects.filter(work=night_tide).update(pseud=night)
    draft = make_work("Zyxsecret Draft", owner="wren")
    Creatorship.objects.filter(work=draft).update(pseud=do_create_pseud(wren, "Draft Wren"))
    Work.objects.filter(pk=draft.pk).update(posted=False)
    return wren, open_sea, night_tide


def test_the_profile_shows_pseuds_counts_and_recent_works(
    client: Client, make_work: Callable[..., Work]
) -> None:
    wren, open_sea, night_tide = _wren(make_work)
    series = Series.objects.create(title="Tidal Series")
    SerialWork.objects.create(series=series, work=open_sea)
    Bookmark.objects.create(work=night_tide, pseud=wren.pseuds.get(name="wren"))
    Bookmark.objects.create(work=open_sea, pseud=wren.pseuds.get(name="wren"), private=True)
    page = client.get("/users/wren").content.decode()
    assert "Open Sea" in page and "Night Tide" in page and "Tidal Series" in page
    assert "Works (2)" in page and "Series (1)" in page and "Bookmarks (1)" in page
    assert 'href="/users/wren/pseuds/Night%20Wren"' in page
    # A pseud only a draft uses is a name only the draft says.
    assert "Draft Wren" not in page and "Zyxsecret" not in page
    assert "Manage pseuds" not in page
    client.force_login(wren)
    own = client.get("/users/wren").content.decode()
    assert "Draft Wren" in own and "Bookmarks (2)" in own and "Manage pseuds" in own


def test_a_pseud_page_lists_its_own_works(client: Client, make_work: Callable[..., Work]) -> None:
    _wren(make_work)
    page = client.get("/users/wren/pseuds/Night Wren").content.decode()
    assert "Night Tide" in page and "Open Sea" not in page
    listing = client.get("/users/wren/pseuds").content.decode()
    assert "The darker tides." in listing and "Draft Wren" not in listing and "Edit" not in listing
    missing = client.get("/users/wren/pseuds/Nobody")
    assert missing.status_code == 404
    assert client.get("/users/wren/pseuds/Draft Wren").content == missing.content


def test_a_new_author_reaches_their_own_pseuds_before_posting(client: Client, db: None) -> None:
    newcomer = User.objects.create_user("newcomer", password="x")
    assert client.get("/users/newcomer/pseuds").status_code == 404
    client.force_login(newcomer)
    assert client.get("/users/newcomer/pseuds").status_code == 200
    response = client.post("/users/newcomer/pseuds/new", {"name": "Quill", "description": "Hello"})
    assert response.status_code == 302 and response["Location"] == "/users/newcomer/pseuds"
    pseud = Pseud.objects.get(user=newcomer)
    assert (pseud.name, pseud.description, pseud.is_default) == ("Quill", "Hello", True)
    again = client.post("/users/newcomer/pseuds/new", {"name": "quill"}).content.decode()
    assert "already have a pseud named quill" in again
    assert "letter or digit" in client.post("/users/newcomer/pseuds/new", {"name": "?!"}).content.decode()
    assert Pseud.objects.filter(user=newcomer).count() == 1


def test_renaming_a_pseud_changes_bylines_and_search(client: Client, make_work: Callable[..., Work]) -> None:
    wren, _open_sea, night_tide = _wren(make_work)
    client.force_login(wren)
    form = client.get("/users/wren/pseuds/Night Wren/edit").content.decode()
    assert 'value="Night Wren"' in form and "csrfmiddlewaretoken" in form
    response = client.post(
        "/users/wren/pseuds/Night Wren/edit", {"name": "Zyxmoon Wren", "description": "New", "default": "on"}
    )
    assert response.status_code == 302
    assert wren.default_pseud() == Pseud.objects.get(name="Zyxmoon Wren")
    assert "Zyxmoon Wren" in client.get(f"/works/{night_tide.pk}?view_full_work=true").content.decode()
    found = client.get("/works?q=Zyxmoon").content.decode()
    assert "Night Tide" in found and "Open Sea" not in found


def test_deleting_a_pseud_moves_its_works_to_the_default(
    client: Client, make_work: Callable[..., Work]
) -> None:
    wren, _open_sea, night_tide = _wren(make_work)
    client.force_login(wren)
    confirm = client.get("/users/wren/pseuds/Night Wren/delete").content.decode()
    assert "Its 1 work" in confirm and "<strong>wren</strong>" in confirm
    assert client.post("/users/wren/pseuds/Night Wren/delete").status_code == 302
    assert not Pseud.objects.filter(name="Night Wren").exists()
    assert list(night_tide.creatorships.values_list("pseud__name", flat=True)) == ["wren"]
    assert "Night Tide" in client.get("/works?q=wren").content.decode()
    refused = client.post("/users/wren/pseuds/wren/delete").content.decode()
    assert "default pseud cannot be deleted" in refused
    assert Pseud.objects.filter(name="wren").exists()


def test_only_the_owner_changes_pseuds(client: Client, make_work: Callable[..., Work]) -> None:
    _wren(make_work)
    pages = [
        "/users/wren/pseuds/new",
        "/users/wren/pseuds/Night Wren/edit",
        "/users/wren/pseuds/Night Wren/delete",
    ]
    for url in pages:
        assert client.get(url).status_code == 302  # to log in
    client.force_login(User.objects.create_user("intruder", password="x"))
    for url in pages:
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Mine now"}).status_code == 404
    assert (
        Pseud.objects.filter(name="Night Wren").exists()
        and not Pseud.objects.filter(name="Mine now").exists()
    )


def test_pseud_forms_need_the_csrf_token(make_work: Callable[..., Work]) -> None:
    wren, _, _ = _wren(make_work)
    client = Client(enforce_csrf_checks=True)
    client.force_login(wren)
    assert client.post("/users/wren/pseuds/new", {"name": "Forged"}).status_code == 403
    assert client.post("/users/wren/pseuds/Night Wren/delete").status_code == 403
    assert (
        not Pseud.objects.filter(name="Forged").exists() and Pseud.objects.filter(name="Night Wren").exists()
    )
