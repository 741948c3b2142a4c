"""Every read endpoint of the API, asked by anonymous, another member, the creator and staff about
a work in each state (posted, draft, scheduled, restricted, hidden, deleted), with the work's tags,
series, author and pseud: where the rule (access.py, as tests/web/test_access_matrix.py states it)
says the caller may not see the work, its mark word is in no answer and every answer is the very
one given for something that never existed (same status, same body). Where the caller may see it,
the work is found, so the probes can fail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from fanarchive.archive.actions.api_tokens import do_create_api_token
from fanarchive.archive.indexing.indexer import drain_all
from fanarchive.archive.indexing.service import get_backend
from fanarchive.archive.models import User
from fanarchive.domain.tags import tag_to_url_part
from support.access_world import AccessWorld, build_world

pytestmark = pytest.mark.django_db

STATES = ("posted", "draft", "scheduled", "restricted", "hidden", "deleted")
VIEWERS = ("anonymous", "member", "creator", "staff")
SEES = {
    "posted": set(VIEWERS),
    "draft": set(),
    "scheduled": set(),
    "restricted": {"member", "creator", "staff"},
    "hidden": {"staff"},
    "deleted": set(),
}
MISSING_ID = 2_000_000_000
MISSING = "zyxnothing"


def _probes(world: AccessWorld) -> list[tuple[str, str, str]]:
    """(url, the same url naming something that does not exist, the value the first names)."""
    work, series, author = str(world.work_id), str(world.leak.series.pk), world.creator.username
    tag = tag_to_url_part(world.leak.tags[0])
    templates = [
        ("/api/v1/works/{}", work, str(MISSING_ID)),
        ("/api/v1/works/{}?text=true&format=plain", work, str(MISSING_ID)),
        ("/api/v1/works/{}/chapters/1", work, str(MISSING_ID)),
        ("/api/v1/works/{}/kudos", work, str(MISSING_ID)),
        ("/api/v1/works/{}/comments", work, str(MISSING_ID)),
        ("/api/v1/works?q={}", world.mark, MISSING),
        ("/api/v1/works?with={}", world.leak.tags[0], MISSING),
        ("/api/v1/tags/{}", tag, MISSING),
        ("/api/v1/tags/{}/works", tag, MISSING),
        ("/api/v1/tags?q={}", world.mark, MISSING),
        ("/api/v1/series/{}", series, str(MISSING_ID)),
        ("/api/v1/users/{}", author, MISSING),
        ("/api/v1/users/{}/pseuds/" + world.pen, author, MISSING),
        ("/api/v1/users/{}/bookmarks", author, MISSING),
        ("/api/v1/users/{}/works", author, MISSING),
        ("/api/v1/fandoms{}", "", ""),
    ]
    return [(t.format(named), t.format(stand_in), named) for t, named, stand_in in templates]


def _answer(client: Client, url: str, auth: dict[str, str]) -> tuple[int, str]:
    response = client.get(url, headers=auth)
    return response.status_code, response.content.decode()


# Plain pytest runs the states where the rule turns per viewer; the rest are marked slow.
QUICK = {"draft", "restricted", "hidden"}


@pytest.mark.parametrize(
    "state", [pytest.param(s, marks=() if s in QUICK else pytest.mark.slow) for s in STATES]
)
def test_no_read_endpoint_leaks_a_work_it_may_not_show(
    client: Client, build_parsed: Callable[..., Any], state: str
) -> None:
    world = build_world(state, build_parsed, invitee_accepted=False)
    drain_all(get_backend())
    users: dict[str, User | None] = {
        "anonymous": None,
        **{v: world.viewers[v] for v in VIEWERS if v != "anonymous"},
    }
    problems: list[str] = []
    for viewer, user in users.items():
        auth = {"Authorization": f"Bearer {do_create_api_token(user, 'probe', ['read'])[1]}"} if user else {}
        sees = viewer in SEES[state]
        for url, alike, named in _probes(world):
            status, body = _answer(client, url, auth)
            if status >= 500:
                problems.append(f"{viewer} {url}: {status}")
            own_profile = viewer == "creator" and "/users/" in url  # one's own profile always answers
            if sees or own_profile:
                continue
            # What the caller typed may come back (a listing names tag names it does not know).
            if world.mark in body.lower().replace(named.lower(), ""):
                problems.append(f"{viewer} {url}: the mark is in the answer")
            if named:
                # Echoed words are made alike: the answers must then be the same bytes.
                other_status, other_body = _answer(client, alike, auth)
                if (status, body.replace(named, MISSING)) != (other_status, other_body):
                    problems.append(f"{viewer} {url}: {status} differs from a missing one's {other_status}")
        if sees:
            # The probes can fail: what may be seen is found.
            found = client.get(f"/api/v1/works?q={world.mark}", headers=auth).json()
            if world.work_id not in [item["id"] for item in found["items"]]:
                problems.append(f"{viewer}: the {state} work is not found by its mark")
            if client.get(f"/api/v1/works/{world.work_id}", headers=auth).status_code != 200:
                problems.append(f"{viewer}: the {state} work does not open")
    assert problems == []
