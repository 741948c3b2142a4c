"""Saved exclusions (issue 14): a reader saves tags, muted authors, languages, crossovers and word
bounds once on /users/<them>/exclusions, and every listing, search, tag page, feed and facet count
they see leaves those works out, with the counts right, on every search backend."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.models import ExcludedTag, Mute, Preferences, Tag, User, Work

pytestmark = pytest.mark.django_db

FANDOM = "Saltmarsh Chronicles"


def _titles(html: str) -> list[str]:
    return sorted(re.findall(r'<h3 class="heading"><a href="/works/\d+">([^<]+)</a>', html))


def _tags(fandoms: list[str], *freeforms: str) -> dict[str, list[str]]:
    return {"rating": ["General Audiences"], "fandom": fandoms, "freeform": list(freeforms)}


@pytest.fixture
def shelf(make_work: Callable[..., Work], backend: str) -> None:
    make_work("Plain Sailing", owner="ada", tags=_tags([FANDOM], "Fluff"))
    make_work("Storm Warning", owner="ada", tags=_tags([FANDOM], "Angst", "Fluff"))
    make_work("Muted Tide", owner="bea", tags=_tags([FANDOM], "Fluff"))
    make_work("Auf Deutsch", owner="ada", tags=_tags([FANDOM], "Fluff"), language="German")
    make_work("Two Shores", owner="ada", tags=_tags([FANDOM, "Lighthouse Keepers (TV)"], "Fluff"))


@pytest.fixture
def carl(client: Client) -> User:
    user = User.objects.create_user("carl", password="x")
    do_ensure_default_pseud(user)
    client.force_login(user)
    return user


def _save_everything(client: Client) -> None:
    url = "/users/carl/exclusions"
    assert client.post(url, {"action": "exclude_tag", "tag": "angst"}).status_code == 302
    assert client.post(url, {"action": "mute", "username": "bea"}).status_code == 302
    prefs = {
        "action": "preferences",
        "languages": "German",
        "crossovers": "on",
        "words_from": "",
        "words_to": "",
    }
    assert client.post(url, prefs).status_code == 302


EVERYTHING = ["Auf Deutsch", "Muted Tide", "Plain Sailing", "Storm Warning", "Two Shores"]


def test_saved_exclusions_apply_to_every_listing_feed_and_count(
    client: Client, shelf: None, carl: User
) -> None:
    assert _titles(client.get("/works").content.decode()) == EVERYTHING
    _save_everything(client)
    assert ExcludedTag.objects.filter(user=carl, tag__name="Angst").exists()
    assert Mute.objects.filter(user=carl, muted__username="bea").exists()
    assert Preferences.objects.get(user=carl).excluded_languages == ["de"]

    works = client.get("/works").content.decode()
    assert _titles(works) == ["Plain Sailing"]
    assert "1 – 1 of 1 Work<" in works
    assert _titles(client.get("/works?q=tide OR storm OR plain").content.decode()) == ["Plain Sailing"]
    tag_page = client.get(f"/tags/{FANDOM}/works").content.decode()
    assert _titles(tag_page) == ["Plain Sailing"]
    # Facet counts count only what the reader is shown.
    assert re.search(r'<label for="include_\d+">Fluff \(1\)</label>', tag_page)
    assert "Angst (" not in tag_page
    for feed in (f"/tags/{FANDOM}/feed.atom", "/opds/recent", "/opds/search?q=tide"):
        body = client.get(feed).content.decode()
        for hidden in ("Muted Tide", "Storm Warning", "Auf Deutsch", "Two Shores"):
            assert hidden not in body, (feed, hidden)
    assert "Plain Sailing" in client.get("/opds/recent").content.decode()

    # Others, and guests, still see everything.
    client.logout()
    assert _titles(client.get("/works").content.decode()) == EVERYTHING


def test_a_synonyms_exclusion_excludes_its_canonical_tag_and_word_bounds_apply(
    client: Client, shelf: None, carl: User
) -> None:
    from fanarchive.archive.actions.exclusions import do_set_exclusion_preferences
    from fanarchive.archive.actions.tags import do_make_canonical, do_merge_tag

    fluff = Tag.objects.get(name="Fluff")
    do_make_canonical(fluff)
    do_merge_tag(Tag.objects.get(name="Angst"), fluff)
    # Excluding the synonym saves its canonical tag: every work filed under it goes.
    client.post("/users/carl/exclusions", {"action": "exclude_tag", "tag": "Angst"})
    assert list(ExcludedTag.objects.values_list("tag__name", flat=True)) == ["Fluff"]
    assert _titles(client.get("/works").content.decode()) == []
    ExcludedTag.objects.all().delete()
    words = Work.objects.get(title="Plain Sailing").word_count
    do_set_exclusion_preferences(carl, languages=[], crossovers=False, words_from=words + 1, words_to=None)
    assert _titles(client.get("/works").content.decode()) == []
    do_set_exclusion_preferences(carl, languages=[], crossovers=False, words_from=None, words_to=words)
    assert len(_titles(client.get("/works").content.decode())) == len(EVERYTHING)


def test_the_exclusions_page_is_its_owners_alone(client: Client, shelf: None, carl: User) -> None:
    page = client.get("/users/carl/exclusions")
    assert page.status_code == 200 and "Muted authors" in page.content.decode()
    assert client.get("/users/ada/exclusions").status_code == 404
    assert client.post("/users/ada/exclusions", {"action": "mute", "username": "bea"}).status_code == 404
    client.logout()
    assert client.get("/users/carl/exclusions").status_code == 302


def test_refusals_are_shown_on_the_form(client: Client, shelf: None, carl: User) -> None:
    url = "/users/carl/exclusions"
    unknown = client.post(url, {"action": "exclude_tag", "tag": "No Such Tag"})
    assert unknown.status_code == 400 and "No tag by that name" in unknown.content.decode()
    itself = client.post(url, {"action": "mute", "username": "carl"})
    assert itself.status_code == 400
    nobody = client.post(url, {"action": "mute", "username": "nobody-here"})
    assert "No author by that name" in nobody.content.decode()
    bounds = {"action": "preferences", "languages": "", "words_from": "900", "words_to": "10"}
    assert client.post(url, bounds).status_code == 400


def test_blocking_from_the_page_keeps_the_blocked_off_ones_works(
    client: Client, shelf: None, carl: User
) -> None:
    from fanarchive.archive.actions.blocks import check_not_blocked

    ada = User.objects.get(username="ada")
    client.force_login(ada)
    assert client.post("/users/ada/exclusions", {"action": "block", "username": "bea"}).status_code == 302
    bea = User.objects.get(username="bea")
    assert "bea" in client.get("/users/ada/exclusions").content.decode()
    with pytest.raises(ActionError, match="blocked"):
        check_not_blocked(Work.objects.get(title="Plain Sailing"), bea)
    check_not_blocked(Work.objects.get(title="Muted Tide"), ada)
    client.post("/users/ada/exclusions", {"action": "unblock", "id": str(bea.pk)})
    check_not_blocked(Work.objects.get(title="Plain Sailing"), bea)
    # carl never wrote a work: no author of that name to block.
    assert client.post("/users/ada/exclusions", {"action": "block", "username": "carl"}).status_code == 400


def test_unmute_and_unexclude_bring_works_back(client: Client, shelf: None, carl: User) -> None:
    _save_everything(client)
    bea = User.objects.get(username="bea")
    angst = Tag.objects.get(name="Angst")
    url = "/users/carl/exclusions"
    client.post(url, {"action": "unmute", "id": str(bea.pk)})
    client.post(url, {"action": "unexclude_tag", "id": str(angst.pk)})
    client.post(url, {"action": "preferences", "languages": "", "words_from": "", "words_to": ""})
    assert _titles(client.get("/works").content.decode()) == EVERYTHING
