"""The read endpoints answer what the pages show: a work and its chapters (HTML or plain text),
its kudos and comments, tags and their relations, fandoms, series, users, pseuds, bookmarks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.bookmarks import BookmarkFields, do_bookmark
from fanarchive.archive.actions.comments import do_post_comment
from fanarchive.archive.actions.kudos import do_leave_kudos
from fanarchive.archive.actions.tags import do_make_canonical, do_merge_tag, find_or_create_tag
from fanarchive.archive.models import User, Work
from fanarchive.domain.tags import TagKind

pytestmark = pytest.mark.django_db


def test_a_work_with_its_chapters_as_html_or_plain_text(
    client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Gull Weather", chapters=2)
    meta = client.get(f"/api/v1/works/{work.pk}").json()
    assert meta["title"] == "Gull Weather" and [c["position"] for c in meta["chapters"]] == [1, 2]
    assert meta["chapters"][0]["body"] is None
    full = client.get(f"/api/v1/works/{work.pk}", {"text": "true", "format": "plain"}).json()
    assert full["chapters"][1]["body"].startswith("The tide came in for the 2 time")
    assert "<p>" not in full["chapters"][1]["body"]
    one = client.get(f"/api/v1/works/{work.pk}/chapters/2").json()
    assert one["body"].startswith("<p>The tide came in for the 2 time")
    missing = client.get(f"/api/v1/works/{work.pk}/chapters/3")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def test_kudos_and_comments(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Gull Weather", owner="harbourwright")
    reader = User.objects.create_user("gullwatcher", password="x")
    do_ensure_default_pseud(reader)
    do_leave_kudos(work, reader, "")
    do_leave_kudos(work, None, "guest-hash")
    assert client.get(f"/api/v1/works/{work.pk}/kudos").json() == {
        "total": 2,
        "users": ["gullwatcher"],
        "guests": 1,
    }
    for n in range(3):
        do_post_comment(work, f"Lovely storm number {n}.", user=reader)
    first = client.get(f"/api/v1/works/{work.pk}/comments", {"per_page": "2"}).json()
    rest = client.get(f"/api/v1/works/{work.pk}/comments", {"cursor": first["next_cursor"]}).json()
    bodies = [c["body_html"] for c in first["items"] + rest["items"]]
    assert [b.count("number 2") + 2 * b.count("number 1") + 3 * b.count("number 0") for b in bodies] == [
        1,
        2,
        3,
    ]
    assert first["items"][0]["username"] == "gullwatcher" and rest["next_cursor"] is None


def test_tags_with_synonyms_autocomplete_and_fandoms(client: Client, make_work: Callable[..., Work]) -> None:
    tags = {
        "rating": ["General Audiences"],
        "fandom": ["Saltmarsh Chronicles"],
        "freeform": ["Found Family", "Chosen Kin"],
    }
    make_work("Gull Weather", tags=tags)
    canonical = find_or_create_tag("Found Family", TagKind.FREEFORM)
    do_make_canonical(canonical)
    do_merge_tag(find_or_create_tag("Chosen Kin", TagKind.FREEFORM), canonical)
    tag = client.get("/api/v1/tags/Found Family").json()
    assert tag["canonical"] is True and [s["name"] for s in tag["synonyms"]] == ["Chosen Kin"]
    assert client.get("/api/v1/tags/Chosen Kin").json()["merger"]["name"] == "Found Family"
    names = [s["name"] for s in client.get("/api/v1/tags", {"q": "salt"}).json()]
    assert names == ["Saltmarsh Chronicles"]
    fandoms = client.get("/api/v1/fandoms").json()
    assert [(f["name"], f["works"]) for f in fandoms] == [("Saltmarsh Chronicles", 1)]
    assert client.get("/api/v1/tags/Never Used").status_code == 404


def test_users_pseuds_series_and_bookmarks(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Gull Weather", owner="harbourwright")
    profile = client.get("/api/v1/users/harbourwright").json()
    assert profile["works"] == 1 and [p["name"] for p in profile["pseuds"]] == ["harbourwright"]
    assert client.get("/api/v1/users/harbourwright/pseuds/harbourwright").json()["works"] == 1
    assert client.get("/api/v1/users/nobody-here").status_code == 404
    reader = User.objects.create_user("gullwatcher", password="x")
    pseud = do_ensure_default_pseud(reader)
    do_bookmark(reader, BookmarkFields(pseud=pseud, notes="<p>Keeps me warm.</p>"), work=work)
    marks = client.get("/api/v1/users/gullwatcher/bookmarks").json()
    assert [(m["work_id"], m["notes_html"]) for m in marks["items"]] == [(work.pk, "<p>Keeps me warm.</p>")]


def test_a_users_and_a_tags_works_list_like_their_pages(
    client: Client, make_work: Callable[..., Work]
) -> None:
    tags = {"rating": ["General Audiences"], "fandom": ["Saltmarsh Chronicles"], "freeform": ["Chosen Kin"]}
    mine = make_work("Gull Weather", owner="harbourwright", tags=tags)
    make_work("Lamp Oil", owner="harbourwright", tags={**tags, "freeform": []})
    make_work("Other Shore", tags=tags)
    canonical = find_or_create_tag("Found Family", TagKind.FREEFORM)
    do_make_canonical(canonical)
    do_merge_tag(find_or_create_tag("Chosen Kin", TagKind.FREEFORM), canonical)
    by_author = client.get("/api/v1/users/harbourwright/works", {"sort": "title"}).json()
    assert [i["title"] for i in by_author["items"]] == ["Gull Weather", "Lamp Oil"]
    # A synonym lists its canonical tag's works, and the filters still apply.
    tagged = client.get("/api/v1/tags/Chosen Kin/works", {"with": "Saltmarsh Chronicles"}).json()
    assert {i["title"] for i in tagged["items"]} == {"Gull Weather", "Other Shore"}
    assert (
        client.get("/api/v1/tags/Chosen Kin/works", {"sort": "title", "per_page": "1"}).json()["items"][0][
            "id"
        ]
        == mine.pk
    )
    assert client.get("/api/v1/users/nobody-here/works").status_code == 404
