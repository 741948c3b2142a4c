"""Tag counts computed in the database (/fandoms, the OPDS fandom and tag-kind lists) leave out
what a member's saved exclusions leave out of listings (issue 14): each equals the total of that
tag's listing, on every search backend. Guests' counts are every visible work's."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.test import Client

from fanarchive.archive.models import User, Work

pytestmark = pytest.mark.django_db

HARBOUR, LIGHTHOUSE, TIDES = "Harbour Days", "Lighthouse Keepers (TV)", "Tidewater"
FANDOMS = (HARBOUR, LIGHTHOUSE, TIDES)
FREEFORMS = ("Fluff", "Angst", "Whump")
ATOM = "{http://www.w3.org/2005/Atom}"


def _tags(fandoms: list[str], *freeforms: str) -> dict[str, list[str]]:
    return {"rating": ["General Audiences"], "fandom": fandoms, "freeform": list(freeforms)}


@pytest.fixture
def shelf(make_work: Callable[..., Work], backend: str) -> None:
    make_work("Plain Sailing", owner="ada", tags=_tags([HARBOUR], "Fluff"))
    make_work("Storm Warning", owner="ada", tags=_tags([HARBOUR], "Angst", "Fluff"))
    make_work("Muted Tide", owner="bea", tags=_tags([HARBOUR], "Fluff", "Whump"))
    make_work("Only Bea", owner="bea", tags=_tags([TIDES], "Whump"))
    make_work("Auf Deutsch", owner="ada", tags=_tags([LIGHTHOUSE], "Fluff"), language="German")
    make_work("Two Shores", owner="ada", tags=_tags([HARBOUR, LIGHTHOUSE], "Fluff"))
    make_work("Keeper's Log", owner="cy", tags=_tags([LIGHTHOUSE], "Angst", "Whump"))


def _listing_total(client: Client, tag: str) -> int:
    html = client.get(f"/tags/{quote(tag, safe='')}/works").content.decode()
    found = re.search(r"of (\d+) Works?\b", html)
    assert found or "No works found" in html, tag
    return int(found.group(1)) if found else 0


def _fandoms_page(client: Client) -> dict[str, int]:
    html = client.get("/fandoms").content.decode()
    return {
        name.replace("&#x27;", "'"): int(n)
        for name, n in re.findall(r'<a href="/tags/[^"]+">([^<]+)</a> \((\d+)\)</li>', html)
    }


def _opds(client: Client, url: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    pages = [url]
    while pages:
        feed = ET.fromstring(client.get(pages.pop()).content)
        for entry in feed.iter(f"{ATOM}entry"):
            content = entry.findtext(f"{ATOM}content") or ""
            counts[entry.findtext(f"{ATOM}title") or ""] = int(content.split()[0])
        pages += [link.get("href", "") for link in feed.iter(f"{ATOM}link") if link.get("rel") == "next"]
    return counts


def _check_counts_equal_listings(client: Client) -> dict[str, int]:
    totals = {tag: _listing_total(client, tag) for tag in FANDOMS + FREEFORMS}
    shown = {tag: n for tag, n in totals.items() if n}  # a tag none of whose works is left is not listed
    fandoms = {t: n for t, n in shown.items() if t in FANDOMS}
    assert _fandoms_page(client) == fandoms
    assert _opds(client, "/opds/fandoms") == fandoms
    assert _opds(client, "/opds/kinds/fandom") == fandoms
    assert _opds(client, "/opds/kinds/freeform") == {t: n for t, n in shown.items() if t in FREEFORMS}
    return totals


GUEST = {HARBOUR: 4, LIGHTHOUSE: 3, TIDES: 1, "Fluff": 5, "Angst": 2, "Whump": 3}


def test_guest_counts_every_visible_work(client: Client, shelf: None) -> None:
    assert _check_counts_equal_listings(client) == GUEST


def test_member_counts_leave_out_excluded_tags_and_muted_creators(client: Client, shelf: None) -> None:
    carl = User.objects.create_user("carl", password="x")
    client.force_login(carl)
    assert _check_counts_equal_listings(client) == GUEST  # nothing saved yet: as a guest
    url = "/users/carl/exclusions"
    assert client.post(url, {"action": "exclude_tag", "tag": "angst"}).status_code == 302
    assert client.post(url, {"action": "mute", "username": "bea"}).status_code == 302
    totals = _check_counts_equal_listings(client)
    assert totals == {HARBOUR: 2, LIGHTHOUSE: 2, TIDES: 0, "Fluff": 3, "Angst": 0, "Whump": 0}
    prefs = {
        "action": "preferences",
        "languages": "German",
        "crossovers": "on",
        "words_from": "",
        "words_to": "",
    }
    assert client.post(url, prefs).status_code == 302
    totals = _check_counts_equal_listings(client)
    assert totals == {HARBOUR: 1, LIGHTHOUSE: 0, TIDES: 0, "Fluff": 1, "Angst": 0, "Whump": 0}
    # Another reader's exclusions are theirs alone.
    client.logout()
    assert _check_counts_equal_listings(client) == GUEST
