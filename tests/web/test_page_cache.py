"""The anonymous page cache (issue 16): pages come from the cache until something they show changes,
and never after; nothing a logged-in member sees is ever served to anyone from it; forms in cached
pages carry the reader's own CSRF token; a second visit is a 304; hits are still counted."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fanarchive.archive.actions.chapters import ChapterText, do_edit_chapter
from fanarchive.archive.actions.comments import do_post_comment
from fanarchive.archive.actions.kudos import do_leave_kudos
from fanarchive.archive.actions.pseuds import do_rename_pseud
from fanarchive.archive.actions.tags import do_create_tag, do_merge_tag
from fanarchive.archive.actions.works import do_set_work_flags
from fanarchive.archive.models import Pseud, StatCounter, Tag, User, Work
from fanarchive.archive.pagecache.csrf import placeholder
from fanarchive.archive.pagecache.invalidation import changes_content
from fanarchive.domain.tags import TagKind

pytestmark = pytest.mark.django_db

MakeWork = Callable[..., Work]


def _pages(work: Work) -> list[str]:
    """Every anonymous page that shows this work (its fandom is Saltmarsh Chronicles, its author Ferris)."""
    return [
        "/",
        "/works",
        f"/works/{work.pk}",
        f"/works/{work.pk}?view_full_work=true",
        f"/works/{work.pk}/chapters/1",
        "/tags/Saltmarsh%20Chronicles/works",
        "/tags/Slow%20Burn",
        "/users/ferris",
        "/users/ferris/works",
        f"/works/{work.pk}/feed.atom",
        "/tags/Saltmarsh%20Chronicles/feed.atom",
        "/opds/recent",
        "/opds/authors",
    ]


def _read(client: Client, urls: list[str]) -> dict[str, str]:
    answers = {}
    for url in urls:
        answer = client.get(url, follow=True)
        answers[url] = f"{answer.status_code} {answer.content.decode()}"
    return answers


@pytest.fixture
def work(make_work: MakeWork) -> Work:
    return make_work(
        "Harbour Lights",
        owner="ferris",
        chapters=2,
        tags={"fandom": ["Saltmarsh Chronicles"], "freeform": ["Slow Burn"]},
    )


def test_a_second_anonymous_visit_is_served_without_the_database(client: Client, work: Work) -> None:
    _index_now()
    first = client.get("/works")
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = Client().get("/works")
    assert second.status_code == 200 and second.content == first.content
    assert [q["sql"][:90] for q in queries.captured_queries] == []


def _index_now() -> None:
    # The tests' search index is brought up to date by the listing's first query; its commit replaces
    # the page version, as the indexer's does.
    from fanarchive.archive.indexing.indexer import drain_all
    from fanarchive.archive.indexing.service import get_backend

    drain_all(get_backend())


def _change_title(work: Work) -> tuple[str, str]:
    do_edit_chapter(
        work.chapters.get(position=1), ChapterText(title="Salt Spray", body="<p>The tide turned.</p>")
    )
    return "Salt Spray", ""


def _restrict(work: Work) -> tuple[str, str]:
    do_set_work_flags(work, posted=True, restricted=True, hidden_by_admin=False)
    return "", "Harbour Lights"


def _merge_tag(work: Work) -> tuple[str, str]:
    slow = Tag.objects.get(name="Slow Burn")
    canonical = do_create_tag("Slow Burn (Romance)", TagKind(slow.kind), canonical=True)
    do_merge_tag(slow, canonical)
    return "Slow Burn (Romance)", ""


def _rename_pseud(work: Work) -> tuple[str, str]:
    do_rename_pseud(Pseud.objects.get(user__username="ferris", is_default=True), "Ferris Lane")
    return "Ferris Lane", ""


def _kudos(work: Work) -> tuple[str, str]:
    reader = User.objects.create_user("kudoser", password="x")
    do_leave_kudos(work, reader, "")
    return "kudoser", ""


def _comment(work: Work) -> tuple[str, str]:
    do_post_comment(work, "What a lovely lighthouse.", guest_name="Gull", guest_email="gull@example.org")
    return "What a lovely lighthouse.", ""


CHANGES = {
    "chapter-title": _change_title,
    "restricted": _restrict,
    "tag-merged": _merge_tag,
    "pseud-renamed": _rename_pseud,
    "kudos": _kudos,
    "comment": _comment,
}


@pytest.mark.parametrize("change", CHANGES)
def test_no_page_is_stale_after_a_change(client: Client, work: Work, change: str) -> None:
    before = _read(client, _pages(work))
    assert all(answer.startswith("200") for answer in before.values()), before.keys()
    # Served again from the cache: the same bytes, but for each response's own CSRF token.
    again = _read(client, _pages(work))
    assert {url: _without_tokens(page) for url, page in again.items()} == {
        url: _without_tokens(page) for url, page in before.items()
    }
    shown, gone = CHANGES[change](work)
    after = _read(client, _pages(work))
    with _cache_off():
        fresh = _read(Client(), _pages(work))
    # Every page is what it would be with no cache at all: new where the change shows, old nowhere.
    for url in _pages(work):
        assert _without_tokens(after[url]) == _without_tokens(fresh[url]), url
    assert any(shown in page for page in after.values()) if shown else True
    assert all(gone not in page for page in after.values()) if gone else True


class _cache_off:
    def __enter__(self) -> None:
        from django.conf import settings

        self.saved = settings.PAGE_CACHE_SECONDS
        settings.PAGE_CACHE_SECONDS = 0

    def __exit__(self, *exc: object) -> None:
        from django.conf import settings

        settings.PAGE_CACHE_SECONDS = self.saved


def _without_tokens(page: str) -> str:
    """Masked CSRF tokens differ on every response, and hit counts on a cached page are as old as the
    page (documented, as on AO3); everything else must match byte for byte."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    # A feed's own <updated> is the time it was made when nothing in it says otherwise.
    page = re.sub(r"<updated>[^<]*</updated>", "<updated/>", page)
    return re.sub(r"Hits:.{0,40}?\d[\d,]*", "Hits:#", page)


def test_nothing_a_member_sees_reaches_anonymous_readers(client: Client, make_work: MakeWork) -> None:
    posted = make_work("Open Water", owner="ferris", chapters=1)
    locked = make_work("Members Only Tide", owner="ferris", chapters=1)
    draft = make_work("Unfinished Draft", owner="ferris", chapters=1)
    do_set_work_flags(locked, posted=True, restricted=True, hidden_by_admin=False)
    do_set_work_flags(draft, posted=False, restricted=False, hidden_by_admin=False)
    urls = [
        "/",
        "/works",
        f"/works/{posted.pk}",
        f"/works/{locked.pk}",
        f"/works/{draft.pk}",
        "/users/ferris",
    ]
    member = Client()
    member.force_login(User.objects.get(username="ferris"))
    seen = _read(member, urls)
    assert "Members Only Tide" in seen["/works"] and "Unfinished Draft" in seen[f"/works/{draft.pk}"]
    anonymous = _read(Client(), urls)
    with _cache_off():
        uncached = _read(Client(), urls)
    for url in urls:
        assert _without_tokens(anonymous[url]) == _without_tokens(uncached[url]), url
        assert "Members Only Tide" not in anonymous[url] and "Unfinished Draft" not in anonymous[url]
    # And the member, after the anonymous reads, still sees their own pages, not the cached ones.
    assert "Members Only Tide" in _read(member, ["/works"])["/works"]


def test_forms_in_cached_pages_carry_each_readers_own_token(work: Work) -> None:
    Client().get(f"/works/{work.pk}/chapters/1")  # stored
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(f"/works/{work.pk}/chapters/1")
    text = page.content.decode()
    assert placeholder() not in text
    token = text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert "csrftoken" in page.cookies
    kudos = StatCounter.objects.get(work=work).kudos
    answer = reader.post(f"/works/{work.pk}/kudos", {"csrfmiddlewaretoken": token})
    assert answer.status_code in (200, 302)
    assert StatCounter.objects.get(work=work).kudos == kudos + 1


def test_a_second_visit_with_the_etag_is_a_304(client: Client, work: Work) -> None:
    first = client.get("/works")
    etag = first["ETag"]
    again = client.get("/works", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    do_set_work_flags(work, posted=True, restricted=True, hidden_by_admin=False)
    changed = client.get("/works", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_hits_are_counted_on_pages_from_the_cache(work: Work) -> None:
    hits = StatCounter.objects.get(work=work).hits
    for n in range(3):
        assert Client(REMOTE_ADDR=f"10.0.0.{n + 1}").get(f"/works/{work.pk}/chapters/1").status_code == 200
    assert StatCounter.objects.get(work=work).hits == hits + 3


@pytest.mark.parametrize(
    ("sql", "changes"),
    [
        ('UPDATE "archive_work" SET "title" = %s WHERE "archive_work"."id" = %s', True),
        ('INSERT INTO "archive_kudos" ("work_id", "user_id") VALUES (%s, %s)', True),
        ('DELETE FROM "archive_tag" WHERE "archive_tag"."id" IN (%s)', True),
        ('UPDATE "archive_statcounter" SET "hits" = ("archive_statcounter"."hits" + %s) WHERE x', False),
        ('UPDATE "archive_statcounter" SET "hits" = %s, "kudos" = %s WHERE x', True),
        ('UPDATE "archive_user" SET "last_login" = %s WHERE "archive_user"."id" = %s', False),
        ('UPDATE "archive_user" SET "username" = %s WHERE "archive_user"."id" = %s', True),
        ('INSERT INTO "archive_workhit" ("work_id", "visitor", "day") VALUES (%s, %s, %s)', False),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ("INSERT INTO `archive_comment` (`body`) VALUES (%s)", True),
        ('SELECT "archive_work"."id" FROM "archive_work"', False),
    ],
)
def test_which_writes_change_pages(sql: str, changes: bool) -> None:
    assert changes_content(sql) is changes


def test_every_table_is_either_watched_or_listed_as_private() -> None:
    """A new table is watched unless someone lists it as private, with a reason; this guards the list
    against names that no longer exist."""
    from django.apps import apps

    from fanarchive.archive.pagecache.invalidation import _PRIVATE_TABLES

    tables = {model._meta.db_table for model in apps.get_models()}
    assert {name for name in _PRIVATE_TABLES if name.startswith("archive_")} <= tables


def test_an_api_route_named_like_a_page_is_never_cached(
    client: Client, work: Work, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.urls import resolve

    from fanarchive.archive.pagecache import middleware

    request = client.get("/").wsgi_request
    route = middleware._cached_route(request)
    assert route is not None and route.url_name == "home"
    for path in (f"/api/v1/works/{work.pk}", "/api/v1/works"):
        # Even were an API operation named as a page is (ninja names them after their functions).
        monkeypatch.setattr(middleware, "CACHED_ROUTES", middleware.CACHED_ROUTES | {resolve(path).url_name})
        request.path_info = path
        assert middleware._cached_route(request) is None, path


def test_a_listing_kept_before_the_indexer_caught_up_is_not_served_after(
    client: Client, make_work: MakeWork, settings: Any
) -> None:
    """Listings are read from the search index, which the indexer changes without a table write a
    page shows: its commit replaces the version too."""
    from fanarchive.archive.indexing.indexer import drain_all
    from fanarchive.archive.indexing.service import get_backend

    make_work("Harbour Lights", chapters=1)
    settings.SEARCH_INDEX_IMMEDIATELY = False
    make_work("Late Ferry", chapters=1)
    assert "Late Ferry" not in client.get("/works").content.decode()  # kept, before indexing
    drain_all(get_backend())
    assert "Late Ferry" in client.get("/works").content.decode()


def _served_from_cache(url: str) -> bool:
    """Whether a new anonymous reader's visit to `url` is answered without a database query."""
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(url).status_code == 200
    return not queries.captured_queries


def test_kudos_and_comments_on_one_work_keep_every_other_works_pages(make_work: MakeWork) -> None:
    """Each page is kept with the version of every work it shows: a kudos or a comment on one work
    (the archive's most frequent writes) leaves the other works' pages in the cache."""
    busy = make_work("Harbour Lights", owner="ferris", chapters=2)
    quiet = make_work("Still Water", owner="ferris", chapters=2)
    reader = User.objects.create_user("kudoser", password="x")  # a new account is SITE's change
    busy_page, quiet_page = f"/works/{busy.pk}/chapters/2", f"/works/{quiet.pk}/chapters/2"
    for url in (busy_page, quiet_page, f"/works/{quiet.pk}?view_full_work=true"):
        Client().get(url)
        assert _served_from_cache(url), url
    do_leave_kudos(busy, reader, "")
    do_post_comment(busy, "A lovely harbour.", guest_name="Gull", guest_email="gull@example.org")
    assert _served_from_cache(quiet_page) and _served_from_cache(f"/works/{quiet.pk}?view_full_work=true")
    assert not _served_from_cache(busy_page)
    # Any other write (here a pseud renamed) is SITE's, which every page depends on.
    do_rename_pseud(Pseud.objects.get(user__username="ferris", is_default=True), "Ferris Lane")
    assert not _served_from_cache(quiet_page)
    assert "Ferris Lane" in Client().get(quiet_page).content.decode()


def test_a_page_made_while_a_write_landed_is_served_but_not_kept(
    work: Work, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's version tokens are read after its rows; a write landing in between would leave a page
    of the old rows under the new tokens, so such a page is not kept."""
    from fanarchive.archive.pagecache.invalidation import site_changed
    from fanarchive.archive.web import blurbs, fragments  # before the patch: fragments imports the name

    url = f"/works/{work.pk}/chapters/1"
    build = blurbs.build_blurbs

    def build_then_write(works: list[Work]) -> list[blurbs.Blurb]:
        made = build(works)
        site_changed()  # another process's write, committed while this page is made
        return made

    monkeypatch.setattr(blurbs, "build_blurbs", build_then_write)
    monkeypatch.setattr(fragments, "build_blurbs", build_then_write)
    assert Client().get(url).status_code == 200
    monkeypatch.undo()
    assert not _served_from_cache(url)  # made again: the first was not kept
    assert _served_from_cache(url)


def test_a_page_from_the_cache_carries_the_headers_of_a_made_one(work: Work) -> None:
    """Pages from the cache are answered before the security, CSP and other middlewares run; what
    those add to a made page is kept with it and sent again."""
    url = f"/works/{work.pk}/chapters/1"
    made = Client().get(url)
    kept = Client().get(url)
    per_response = {"set-cookie", "etag", "content-length", "date"}

    def headers(answer: Any) -> dict[str, str]:
        return {name.lower(): value for name, value in answer.items() if name.lower() not in per_response}

    assert headers(kept) == headers(made)
    assert {"content-security-policy", "x-frame-options", "x-content-type-options"} <= set(headers(kept))
    assert kept.cookies["csrftoken"].value  # a new reader gets the cookie their page's forms need


def test_a_reader_with_a_session_is_never_served_from_the_cache(work: Work) -> None:
    url = f"/works/{work.pk}/chapters/1"
    Client().get(url)
    member = Client()
    member.force_login(User.objects.get(username="ferris"))
    with CaptureQueriesContext(connection) as queries:
        page = member.get(url)
    assert queries.captured_queries and "Log out" in page.content.decode()


def test_a_damaged_version_file_is_made_anew_and_drops_every_page(tmp_path: Any) -> None:
    from fanarchive.archive.pagecache.versions import SITE, SlotVersionStore, work_key

    store = SlotVersionStore(tmp_path / "page-versions")
    before = store.read([SITE, work_key(7)])
    with open(store.path, "r+b") as damaged:
        damaged.truncate(1024)  # a slot past this end could never be bumped
    after = store.read([SITE, work_key(7)])
    assert all(len(token) == 16 for token in after) and after != before
    store.bump([work_key(7)])
    assert store.read([work_key(7)]) != after[1:]


def test_a_version_store_that_cannot_be_read_leaves_pages_uncached_not_broken(
    client: Client, work: Work, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fanarchive.archive.pagecache import versions

    def broken(self: object, keys: object) -> list[str]:
        raise OSError("the data folder's cache is not readable")

    monkeypatch.setattr(versions.SlotVersionStore, "read", broken)
    monkeypatch.setattr(versions.SlotVersionStore, "bump", broken)
    for url in (f"/works/{work.pk}/chapters/1", "/works"):
        assert client.get(url).status_code == 200, url
    member = Client()
    member.force_login(User.objects.get(username="ferris"))
    assert member.get(f"/works/{work.pk}/chapters/1").status_code == 200


def test_a_host_outside_allowed_hosts_is_refused_even_for_a_kept_page(work: Work, settings: Any) -> None:
    settings.SITE_URL = "https://fics.example"
    url = f"/works/{work.pk}/chapters/1"
    Client().get(url, HTTP_HOST="testserver")  # kept
    assert Client().get(url, HTTP_HOST="attacker.example").status_code == 400


def test_a_page_not_kept_gets_the_length_of_its_filled_body(
    work: Work, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fanarchive.archive.pagecache import middleware

    monkeypatch.setattr(middleware, "_storable", lambda request, response: False)
    answer = Client().get(f"/works/{work.pk}/chapters/1")
    assert placeholder() not in answer.content.decode()
    assert int(answer.get("Content-Length", len(answer.content))) == len(answer.content)
