"""The access matrix: every viewer (anonymous, a member, the creator, a co-creator before and after
accepting, a tag wrangler, staff) against a work in every state (posted, draft, scheduled, with a
draft chapter, restricted, hidden, orphaned, deleted) on every route the leak matrix probes
(listings, search text and snippets, facet counts, tag, fandom, author and series pages,
autocomplete, Atom, OPDS, downloads and chapters by id, related-work links).

SEES below is the rule, one row per viewer: where a viewer may not see the state, every probe of
tests/web/test_leak_matrix.py must keep the work's mark out and answer exactly as for what does not
exist; where they may, the work must be found on each kind of route (so the probes can fail), and
the names the state forbids (an orphaned work's former creator) must still be nowhere.

Each cell builds its own world (tests/support/access_world.py). Plain pytest runs the cells in
QUICK, which cover every viewer and every state; the whole matrix is marked slow (scripts/test.sh
runs it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from tests.web.test_leak_matrix import _NOW, MISSING_WORD, Probe, _body, _tag_part

from fanarchive.archive.indexing.indexer import drain_all
from fanarchive.archive.indexing.service import get_backend
from fanarchive.archive.models import Creatorship, Tag, User, Work
from fanarchive.domain.query import SearchQuery
from support.access_world import (
    FAMILY,
    INVITEE,
    INVITEE_PSEUD,
    ORPHAN_ACCOUNT,
    STATES,
    VIEWERS,
    AccessWorld,
    build_world,
)

pytestmark = pytest.mark.django_db

# Who finds a work in each state on the public routes. The creator sees drafts and scheduled works
# on their dashboard only; a draft chapter is read by nobody until it is posted.
_TABLE = """
                    posted draft scheduled draft_chapter restricted hidden orphaned orphaned_kept deleted
anonymous           yes    no    no        no            no         no     yes      yes           no
member              yes    no    no        no            yes        no     yes      yes           no
creator             yes    no    no        no            yes        no     yes      yes           no
cocreator_pending   yes    no    no        no            yes        no     yes      yes           no
cocreator_accepted  yes    no    no        no            yes        no     yes      yes           no
wrangler            yes    no    no        no            yes        no     yes      yes           no
staff               yes    no    no        no            yes        yes    yes      yes           no
"""


def _parse_table(table: str) -> dict[tuple[str, str], bool]:
    header, *rows = [line.split() for line in table.strip().splitlines()]
    assert tuple(header) == STATES and tuple(row[0] for row in rows) == VIEWERS
    return {
        (row[0], state): cell == "yes" for row in rows for state, cell in zip(header, row[1:], strict=True)
    }


SEES = _parse_table(_TABLE)


def _routed(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


# Run by plain pytest: each viewer and each state at least once, and the cells where the rule turns.
QUICK = {
    ("anonymous", "restricted"),
    ("anonymous", "deleted"),
    ("member", "hidden"),
    ("member", "orphaned_kept"),
    ("creator", "draft"),
    ("creator", "orphaned"),
    ("cocreator_pending", "scheduled"),
    ("cocreator_accepted", "posted"),
    ("wrangler", "draft_chapter"),
    ("staff", "hidden"),
}
CELLS = [
    pytest.param(viewer, state, marks=() if (viewer, state) in QUICK else pytest.mark.slow)
    for viewer in VIEWERS
    for state in STATES
]
QUICK_INVITEES = ("anonymous", "cocreator_pending")
# A viewer's own pages (their dashboard and posting forms list their pseuds, series, works and
# invitations), for the people of the world: its creator, former creator and invitee.
# The bookmark forms choose among the viewer's pseuds too.
ACCOUNT_ROUTES = frozenset(
    {
        "dashboard",
        "invitation_accept",
        "invitation_decline",
        "work_new",
        "upload",
        "work_bookmark",
        "series_bookmark",
        "external_bookmark_new",
        "bookmark_edit",
    }
)
# The pages a work's accepted creators have for it, whatever its state: the work's address takes
# them to its preview when readers may not see it yet.
OWN_ROUTES = ACCOUNT_ROUTES | {
    "work_edit",
    "work_preview",
    "work_post",
    "work_delete",
    "work_orphan",
    "chapter_new",
    "chapters_manage",
    "chapter_edit",
    "chapter_delete",
    "chapter_post",
    "upload_review",
    # Their own notifications: comments on their own work, its draft chapters' included.
    "inbox",
    "inbox_feed",
}


class Viewing:
    """A viewer's client; each answer fetched once, with the viewer's own user name (which the site
    menu shows) replaced, as it is theirs to see. Their own profile pages (`own_pages`) answer them
    whatever they have posted, and may show every pseud of theirs."""

    def __init__(self, client: Client, user: User | None, own_routes: frozenset[str] = frozenset()) -> None:
        self.client, self.own_routes = client, own_routes
        self.own_name = user.username if user else None
        self.own_names = {
            form
            for name in (user.pseuds.values_list("name", flat=True) if user else ())
            for form in _forms(name)
        }
        self._answers: dict[tuple[str, str], tuple[int, str]] = {}

    def own_page(self, url: str) -> bool:
        return self.own_name is not None and self.own_name in url

    def fetch(self, url: str, method: str = "get") -> tuple[int, str]:
        key = (url, method)
        if key not in self._answers:
            response = getattr(self.client, method)(url)
            self._answers[key] = (response.status_code, _NOW.sub("NOW", _body(response)))
        return self._answers[key]

    def seen(self, text: str) -> str:
        return text.replace(self.own_name, "VIEWER") if self.own_name else text


def _viewing(client: Client, world: AccessWorld, viewer: str) -> Viewing:
    user = world.viewers.get(viewer)
    if user is not None:
        client.force_login(user)
    return Viewing(client, user, _own_routes(world, viewer))


def _owns(world: AccessWorld, viewer: str) -> bool:
    """An accepted creator of the work: its creator until they orphan it, the co-creator who
    accepted (an orphaned work's co-creators keep their credit)."""
    if world.state == "deleted":
        return False
    return viewer == "cocreator_accepted" or (viewer == "creator" and not world.state.startswith("orphaned"))


def _own_routes(world: AccessWorld, viewer: str) -> frozenset[str]:
    if _owns(world, viewer):
        return OWN_ROUTES | {"work"} if not SEES[(viewer, world.state)] else OWN_ROUTES
    if viewer in ("creator", "cocreator_pending", "cocreator_accepted"):
        return ACCOUNT_ROUTES
    return frozenset()


def _forms(name: str) -> list[str]:
    """A name as a page may carry it: as typed, and in links."""
    return sorted({form(name).lower() for form in (str, quote, quote_plus)})


def _check(viewing: Viewing, route: str, probe: Probe, forbidden: list[str], alike: bool) -> list[str]:
    if viewing.own_page(probe.url):
        alike, forbidden = False, [word for word in forbidden if word not in viewing.own_names]
    status, body = viewing.fetch(probe.url, probe.method)
    problems = [f"{route} {probe.url}: {status}"] if status >= 500 else []
    other: tuple[int, str] | None = None
    if alike and probe.alike is not None:
        other = viewing.fetch(probe.alike, probe.method)
    # What the reader typed is echoed back; the same words are put in both answers, so that the
    # viewer's own name in the menu stays alike too.
    other_body = other[1] if other else ""
    for secret, missing in probe.subs if alike else ():
        body, other_body = body.replace(secret, missing), other_body.replace(secret, missing)
    body, other_body = viewing.seen(body), viewing.seen(other_body)
    lowered = body.lower()
    for word in forbidden:
        if word in lowered:
            at = lowered.index(word)
            problems.append(f"{route} {probe.url}: shows {body[max(at - 60, 0) : at + 40]!r}")
    if other is not None and (status, body) != (other[0], other_body):
        diff = next((i for i, (a, b) in enumerate(zip(body, other_body, strict=False)) if a != b), 0)
        problems.append(
            f"{route} {probe.url}: {status}, unlike {probe.alike}: {other[0]}"
            f" (at {body[max(diff - 60, 0) : diff + 60]!r})"
        )
    return problems


def _author_probes(username: str) -> list[Probe]:
    missing = f"{MISSING_WORD}author"
    return [
        Probe(url.format(username), url.format(missing), ((username, missing),))
        for url in ("/users/{}", "/users/{}/works", "/users/{}/feed.atom", "/opds/authors/{}")
    ]


def _forbidden(world: AccessWorld, *, hidden: bool) -> list[str]:
    """What the viewer must not be shown: the mark of a work they may not see and its creator's
    names; an orphaned work's former creator's user name always, their pseud name unless it was
    kept."""
    names = []
    if hidden and world.leak.work_hidden:
        names = [world.creator.username, world.pen]
    elif world.state.startswith("orphaned"):
        names = [world.creator.username] + ([world.pen] if world.state == "orphaned" else [])
    return ([world.mark] if hidden else []) + [form for name in names for form in _forms(name)]


def _assert_nothing_shown(viewing: Viewing, world: AccessWorld, *, hidden: bool) -> None:
    forbidden = _forbidden(world, hidden=hidden)
    probes = list(world.probes)
    if world.state.startswith("orphaned"):
        # The former creator has no work left: their pages answer like a user who never was.
        probes += [("former creator", probe) for probe in _author_probes(world.creator.username)]
    problems: list[str] = []
    for route, probe in probes:
        if route in viewing.own_routes:
            # Their own tools: they answer them about the work (test_owners_tools); a POST there
            # would change it.
            if probe.method == "get":
                problems += _check(viewing, route, probe, [], alike=False)
            continue
        problems += _check(viewing, route, probe, forbidden, alike=hidden)
    assert not problems, "\n".join(problems)


def _assert_found(viewing: Viewing, world: AccessWorld) -> None:
    """The work may be seen: each kind of route finds it (the probes above can fail)."""
    mark, w, work_id = world.mark, world.leak, world.work_id
    author = world.credited
    expected = {
        "/works": f"{mark} Title",
        f"/works?q={mark}": f"{mark} Title",
        f"/works?q=text:{mark}": "the lamp said",  # the snippet
        "/works?per_page=100&sort=words": f"{mark} Fandom (1)",  # a facet count
        f"/works/{work_id}?view_full_work=true": f"{mark} Title",
        f"/works/{work_id}/chapters/2": f"the lamp said {mark}",
        f"/downloads/{work_id}/Work.html": "the lamp said",
        f"/works/{w.public.pk}": f"{mark} Title",  # the related-work link
        f"/series/{w.series.pk}": f"{mark} Title",
        f"/series/{w.public_series.pk}": f"{mark} Title",
        f"/tags/{_tag_part(f'{mark} Freeform')}": f"{mark} Freeform",
        f"/tags/{_tag_part('Found Family')}/works": f"{mark} Title",
        f"/tags/{_tag_part(f'{mark} Fandom')}/feed.atom": f"{mark} Title",
        "/fandoms": f"{mark} Fandom",
        f"/autocomplete/tags?term={mark}": f"{mark} Freeform",
        f"/users/{author}/works": f"{mark} Title",
        f"/users/{author}/feed.atom": f"{mark} Title",
        f"/opds/search?q={mark}": f"{mark} Title",
        "/opds/recent": f"{mark} Title",
        f"/opds/fandoms/{_tag_part(f'{mark} Fandom')}": f"{mark} Title",
        f"/opds/authors/{author}": f"{mark} Title",
    }
    missing = []
    for url, text in expected.items():
        status, body = viewing.fetch(url)
        if status != 200 or text.lower() not in body.lower():
            missing.append(f"{url}: {status}, without {text!r}")
    assert not missing, "\n".join(missing)


def _assert_counts(viewing: Viewing, world: AccessWorld, *, listed: bool) -> None:
    """Counts tell of works too: the tags the work shares with the public one count it only for
    a viewer who may see it (facets on /works, OPDS kind lists)."""
    n = 2 if listed else 1
    pages = {
        "/works": [rf"{FAMILY} \((\d+)\)", r"General Audiences \((\d+)\)"],
        "/opds/kinds/freeform": [rf"<title>{FAMILY}</title>(?:(?!</entry>).)*?(\d+) works?\b"],
        "/opds/kinds/rating": [r"<title>General Audiences</title>(?:(?!</entry>).)*?(\d+) works?\b"],
    }
    wrong = []
    for url, patterns in pages.items():
        body = viewing.fetch(url)[1]
        for pattern in patterns:
            found = re.search(pattern, body, re.DOTALL)
            if found is None or int(found.group(1)) != n:
                wrong.append(f"{url}: {pattern} gives {found and found.group(1)}, not {n}")
    assert not wrong, "\n".join(wrong)


def _assert_byline(viewing: Viewing, world: AccessWorld, viewer: str) -> None:
    """Who the work page credits: orphan_account instead of an orphaned work's creator (under
    their pseud name only when it was kept), a co-creator once they accept."""
    body = viewing.fetch(f"/works/{world.work_id}?view_full_work=true")[1]
    if world.state.startswith("orphaned"):
        assert ORPHAN_ACCOUNT in body
        assert (world.pen in body) == (world.state == "orphaned_kept")
    else:
        assert world.pen in body
    if viewer == "cocreator_accepted":
        assert INVITEE_PSEUD in body


def _assert_owners_tools(viewing: Viewing, world: AccessWorld) -> None:
    """The work's own creators reach it whatever its state: their dashboard lists it, its edit and
    preview pages answer them, and its address takes them to the preview while readers may not
    see it (the public routes above still never show them a draft)."""
    work_id = world.work_id
    if _routed("dashboard"):
        assert world.leak.work.title in viewing.fetch("/dashboard")[1]
    for url in (f"/works/{work_id}/edit", f"/works/{work_id}/preview"):
        assert viewing.fetch(url)[0] == 200, url
    if world.state in ("draft", "scheduled", "hidden"):
        response = viewing.client.get(f"/works/{work_id}")
        assert (response.status_code, response["Location"]) == (302, f"/works/{work_id}/preview")


def _assert_gone_from_search(world: AccessWorld) -> None:
    """A deleted work's search document goes with it, once the outbox is drained."""
    backend = get_backend()
    drain_all(backend)
    for text in (world.mark, f"text:{world.mark}", ""):
        query = SearchQuery(
            text=text, work_ids=(world.work_id,), viewer_can_see_restricted=True, viewer_can_see_hidden=True
        )
        assert backend.search(query).ids == []
    assert not Work.objects.filter(pk=world.work_id).exists()
    assert not Tag.objects.filter(name__startswith=world.mark, taggings__isnull=False).exists()


@pytest.mark.parametrize(("viewer", "state"), CELLS)
def test_access_matrix(
    viewer: str, state: str, backend: str, client: Client, build_parsed: Callable[..., Any]
) -> None:
    world = build_world(state, build_parsed, invitee_accepted=viewer == "cocreator_accepted")
    viewing = _viewing(client, world, viewer)
    sees = SEES[(viewer, state)]
    _assert_nothing_shown(viewing, world, hidden=not sees)
    _assert_counts(viewing, world, listed=sees or state == "draft_chapter")
    if sees:
        _assert_found(viewing, world)
        _assert_byline(viewing, world, viewer)
    if _owns(world, viewer):
        _assert_owners_tools(viewing, world)
    if state == "deleted":
        _assert_gone_from_search(world)
    # The public work is there for everyone: the probes ran against a working archive.
    assert "Open Harbour" in viewing.fetch("/works")[1]


@pytest.mark.parametrize(
    ("viewer", "state"),
    [
        pytest.param(
            viewer, state, marks=() if state == "posted" and viewer in QUICK_INVITEES else pytest.mark.slow
        )
        for state in ("posted", "restricted")
        for viewer in VIEWERS
        if viewer != "cocreator_accepted"
    ],
)
def test_a_pending_co_creator_is_named_nowhere(
    viewer: str, state: str, backend: str, client: Client, build_parsed: Callable[..., Any]
) -> None:
    """Until they accept, an invited co-creator's pseud and user name are on no page, and their
    author pages answer like a user who never was (to themselves too: the work is not theirs yet)."""
    world = build_world(state, build_parsed, invitee_accepted=False)
    viewing = _viewing(client, world, viewer)
    forbidden = [*_forms(INVITEE_PSEUD), INVITEE]
    problems: list[str] = []
    for route, probe in world.probes:
        if route not in viewing.own_routes:
            problems += _check(viewing, route, probe, forbidden, alike=False)
    for probe in _author_probes(INVITEE):
        problems += _check(viewing, "invitee", probe, forbidden, alike=True)
    assert not problems, "\n".join(problems)
    if SEES[(viewer, state)]:
        _assert_found(viewing, world)
    assert Creatorship.objects.filter(pseud__name=INVITEE_PSEUD, accepted=False).count() == 1
