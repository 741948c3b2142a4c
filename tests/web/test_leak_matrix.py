"""The leak matrix: for every kind of work a viewer may not see and every route the archive answers,
nothing of the work gets out, and asking for it answers exactly like asking for what does not exist.

Each hidden kind gets a work of its own marked by a word no other text has (`zyxdraft`...), used in
its title, its author's name, a freeform tag and a fandom used by it alone, a synonym and a sub tag
of a public canonical tag, a series of its own, and a related-work link from a public work. The
routes come from the URL resolver: a route added without a probe here fails
test_every_route_has_probes until it gets one.

Runs on the memory and tantivy search backends, or on the one FANARCHIVE_TEST_SEARCH_BACKEND
names (postgres with DATABASE_URL on PostgreSQL): the `backend` fixture of tests/web/conftest.py."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from fanarchive.archive.actions.imports import do_import_work
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.actions.tags import (
    do_add_meta_tag,
    do_make_canonical,
    do_merge_tag,
    find_or_create_tag,
)
from fanarchive.archive.models import Chapter, SerialWork, Series, Tag, User, Work
from fanarchive.domain.tags import TagKind, tag_to_url_part
from fanarchive.domain.work import RelatedWork, SeriesRef

pytestmark = pytest.mark.django_db

KINDS = ("draft", "hidden", "restricted", "unposted_chapter")
MISSING_ID = 999_999
MISSING_WORD = "zyxnothing"


@dataclass
class World:
    kind: str
    mark: str  # the word only the hidden thing has
    public: Work  # a visible work: related to the hidden one, in a series with it
    work: Work  # the hidden work (for unposted_chapter: a visible work with a hidden chapter)
    tags: list[str]  # names of tags only the hidden work uses
    author: str  # username of an author whose only work is the hidden one
    series: Series  # a series holding only the hidden work
    public_series: Series  # a series holding the public and the hidden work

    @property
    def work_hidden(self) -> bool:
        return self.kind != "unposted_chapter"


def _tag_part(name: str) -> str:
    return quote(tag_to_url_part(name))


def _build(kind: str, build_parsed: Callable[..., Any]) -> World:
    mark = "zyx" + kind.replace("_", "")
    family = "Found Family"
    public_tags = {
        "rating": ["General Audiences"],
        "fandom": ["Saltmarsh Chronicles"],
        "character": ["Ada Renner"],
        "freeform": [family],
    }
    if kind == "unposted_chapter":
        author = "quietharbour"
        parsed = build_parsed("Lantern Keeper", chapters=3, tags=public_tags)
        parsed.chapters[2].title = f"{mark} chapter"
        parsed.chapters[2].html = f"<p>The {mark} lantern was lit.</p>"
        parsed.series = [SeriesRef(title="Lantern Series")]
        work = Work.objects.get(pk=do_import_work(parsed).work_id)
        tags: list[str] = []
    else:
        author = f"{mark}author"
        secret_tags = {
            "rating": ["General Audiences"],
            "fandom": [f"{mark} Fandom"],
            "character": [f"{mark} Character"],
            "freeform": [f"{mark} Freeform", f"{mark} Synonym", f"{mark} Subtag", family],
        }
        parsed = build_parsed(f"{mark} Title", authors=(author,), tags=secret_tags, chapters=2)
        parsed.series = [SeriesRef(title=f"{mark} Series")]
        work = Work.objects.get(pk=do_import_work(parsed).work_id)
        tags = [
            f"{mark} Fandom",
            f"{mark} Character",
            f"{mark} Freeform",
            f"{mark} Synonym",
            f"{mark} Subtag",
        ]
    public_parsed = build_parsed("Open Harbour", tags=public_tags, chapters=1)
    public_parsed.related = [RelatedWork(relation="inspired_by", title=work.title)]
    public_parsed.series = [SeriesRef(title="Open Series", position=1)]
    public = Work.objects.get(pk=do_import_work(public_parsed).work_id)
    public_series = Series.objects.get(title="Open Series")
    with transaction.atomic():
        SerialWork.objects.create(series=public_series, work=work, position=2)
        canonical = find_or_create_tag(family, TagKind.FREEFORM)
        do_make_canonical(canonical)
        if kind != "unposted_chapter":
            do_merge_tag(Tag.objects.get(name=f"{mark} Synonym"), canonical)
            sub = Tag.objects.get(name=f"{mark} Subtag")
            do_make_canonical(sub)
            do_add_meta_tag(canonical, sub)
        # As the admin's work form does: change the flags, then hand the work to the indexer.
        if kind == "draft":
            Work.objects.filter(pk=work.pk).update(posted=False)
        elif kind == "hidden":
            Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
        elif kind == "restricted":
            Work.objects.filter(pk=work.pk).update(restricted=True)
        else:
            Chapter.objects.filter(work=work, position=3).update(posted=False)
        enqueue_reindex([work.pk, public.pk])
    assert public.related.get().target_id == work.pk
    return World(
        kind=kind,
        mark=mark,
        public=public,
        work=work,
        tags=tags,
        author=author,
        series=work.serial_works.get(series__title__endswith=" Series", position=1).series,
        public_series=public_series,
    )


@dataclass(frozen=True)
class Probe:
    """A request whose answer must not show the mark; when `alike` is set, the answer must equal
    that request's (the same thing asked of something that does not exist) once each (secret,
    missing) pair of `subs` is replaced in it: what the reader typed is echoed back, and only that."""

    url: str
    alike: str | None = None
    subs: tuple[tuple[str, str], ...] = ()
    method: str = "get"


def _pair(url: str, secret: object, missing: object, *subs: tuple[str, str]) -> Probe:
    # The template is formatted with the hidden thing and with a missing one of the same kind.
    return Probe(url.format(secret), url.format(missing), subs)


def _id_pair(url: str, secret: int) -> Probe:
    """An id in the query string: echoed in links (`include=2`) and hidden fields (`value="2"`)."""
    subs = ((f"={secret}", f"={MISSING_ID}"), (f'value="{secret}"', f'value="{MISSING_ID}"'))
    return _pair(url, secret, MISSING_ID, *subs)


def _typed_tag_pair(url: str, name: str) -> Probe:
    """A tag name typed into the filters: echoed back as typed (and in links, encoded)."""
    missing = f"{MISSING_WORD} Tag"
    subs = tuple((encode(name), encode(missing)) for encode in (str, quote_plus, quote))
    return _pair(url, quote(name), quote(missing), *subs)


def _work_probes(w: World, url: str) -> list[Probe]:
    if w.work_hidden:
        return [_pair(url, w.work.pk, MISSING_ID)]
    return [Probe(url.format(w.work.pk))]


def _tag_probes(w: World, url: str, fandom_only: bool = False) -> list[Probe]:
    names = [n for n in w.tags if not fandom_only or n.endswith("Fandom")]
    probes = [_pair(url, _tag_part(n), _tag_part(f"{MISSING_WORD} Tag")) for n in names]
    # The public tags the hidden work shares: they answer, without naming its synonym or sub tag.
    shared = "Saltmarsh Chronicles" if fandom_only else "Found Family"
    return [*probes, Probe(url.format(_tag_part(shared)))]


def _author_probes(w: World, url: str) -> list[Probe]:
    if w.work_hidden:
        return [_pair(url, w.author, f"{MISSING_WORD}author", (w.author, f"{MISSING_WORD}author"))]
    return [Probe(url.format(w.author))]


def _chapter_probes(w: World, page: str) -> list[Probe]:
    """A chapter page of the author's, for the hidden work's chapter or the hidden chapter."""
    if w.work_hidden:
        return _work_probes(w, f"/works/{{}}/chapters/1/{page}")
    return [_pair(f"/works/{w.work.pk}/chapters/{{}}/{page}", 3, 99)]


def _invitation_probe(w: World, answer: str) -> Probe:
    url = "/dashboard/invitations/{}/" + answer
    # The first creator's (the access matrix's worlds also credit an invited co-creator).
    first = w.work.creatorships.order_by("pk").first()
    assert first is not None
    return Probe(url.format(first.pk), url.format(MISSING_ID), method="post")


def _secret_comment(w: World) -> int:
    """A guest's comment, naming the mark, on the hidden work (or on its hidden chapter)."""
    from fanarchive.archive.actions.comments import do_post_comment
    from fanarchive.archive.models import Comment

    found = Comment.objects.filter(work=w.work, guest_name=f"{w.mark} guest").first()
    if found is not None:
        return found.pk
    chapter = None if w.work_hidden else w.work.chapters.get(position=3)
    comment = do_post_comment(
        w.work,
        f"<p>{w.mark} comment</p>",
        guest_name=f"{w.mark} guest",
        guest_email="g@example.org",
        chapter=chapter,
    )
    return comment.pk


def _comment_probes(w: World, url: str, method: str = "get") -> list[Probe]:
    return [Probe(url.format(_secret_comment(w)), url.format(MISSING_ID), method=method)]


def _secret_bookmarks(w: World) -> tuple[int, int]:
    """A reader's bookmarks, naming the mark in their notes and tags, of the hidden work and of its
    series (the ids; none when the work is visible), beside a public bookmark of the public work."""
    from fanarchive.archive.actions.authors import do_ensure_default_pseud
    from fanarchive.archive.actions.bookmarks import BookmarkFields, do_bookmark
    from fanarchive.archive.models import Bookmark

    reader = User.objects.filter(username="openreader").first()
    if reader is None:
        reader = User.objects.create_user("openreader", password="x")
        pseud = do_ensure_default_pseud(reader)
        do_bookmark(reader, BookmarkFields(pseud=pseud, notes="<p>open note</p>"), work=w.public)
        if w.work_hidden:
            secret = BookmarkFields(pseud=pseud, notes=f"<p>{w.mark} note</p>", tag_names=[f"{w.mark} mine"])
            do_bookmark(reader, secret, work=w.work)
            do_bookmark(reader, secret, series=w.series)
    if not w.work_hidden:
        return MISSING_ID, MISSING_ID
    return (
        Bookmark.objects.get(pseud__user=reader, work=w.work).pk,
        Bookmark.objects.get(pseud__user=reader, series=w.series).pk,
    )


def _reader_bookmark_probes(w: World, url: str = "/users/openreader/bookmarks") -> list[Probe]:
    """A list holding the reader's public bookmark beside their bookmarks of the hidden things."""
    _secret_bookmarks(w)
    return [Probe(url), Probe(f"{url}?with=Found+Family"), Probe(f"{url}?rec=0&page=2")]


def _bookmark_probes(w: World, url: str, method: str = "get") -> list[Probe]:
    return [
        Probe(url.format(secret), url.format(MISSING_ID), method=method) for secret in _secret_bookmarks(w)
    ]


def _search(url: str, w: World) -> Probe:
    return _pair(url, w.mark, MISSING_WORD, (w.mark, MISSING_WORD))


# Every named route, with the requests that probe it. Admin routes are staff-only and not here.
PROBES: dict[str, Callable[[World], list[Probe]]] = {
    "home": lambda w: [Probe("/")],
    # Counts of the outbox only, never a work: it must not name the hidden one either.
    "healthz": lambda w: [Probe("/healthz")],
    # Counts and timings by route name only: no work's title or id is ever a label.
    "metrics": lambda w: [Probe("/metrics")],
    # The API's interactive documentation (the schema's text, no work), and any other address under
    # /api/, which answers a 404 problem document.
    "api_docs": lambda w: [Probe("/api/docs")],
    "api_unknown": lambda w: [Probe("/api/no-such-endpoint")],
    # A member's own API tokens: a guest is sent to log in, a member sees only their own.
    "token_settings": lambda w: [Probe("/settings/tokens")],
    "works": lambda w: [
        Probe("/works"),
        Probe("/works?sort=title"),
        _search("/works?q={}", w),
        _search("/works?q=title:{}", w),
        _search("/works?q=tag:{}", w),
        _search("/works?q=text:{}", w),
        *[_id_pair("/works?include={}", Tag.objects.get(name=name).pk) for name in w.tags],
        *[_id_pair("/works?exclude={}", Tag.objects.get(name=name).pk) for name in w.tags],
        *[_typed_tag_pair("/works?with={}", name) for name in w.tags],
        *[_typed_tag_pair("/works?without={}", name) for name in w.tags],
        Probe("/works?per_page=100&sort=words"),
    ],
    "work": lambda w: [
        *_work_probes(w, "/works/{}"),
        *_work_probes(w, "/works/{}?view_full_work=true"),
        Probe(f"/works/{w.public.pk}"),
    ],
    "chapter": lambda w: [
        _pair(f"/works/{w.work.pk}/chapters/{{}}", 3, 99)
        if not w.work_hidden
        else _pair("/works/{}/chapters/1", w.work.pk, MISSING_ID),
        Probe(f"/works/{w.public.pk}/chapters/1"),
    ],
    "download": lambda w: [
        *_work_probes(w, "/downloads/{}/Work.html"),
        *_work_probes(w, "/downloads/{}/Work.txt"),
        Probe(f"/downloads/{w.public.pk}/Work.html"),
        Probe(f"/downloads/{w.public.pk}/Work.txt"),
    ],
    # Marking for later: a guest is sent to log in; a hidden work answers as a missing one.
    "mark_for_later": lambda w: [
        Probe(p.url, p.alike, p.subs, method="post") for p in _work_probes(w, "/works/{}/later")
    ],
    "kudos": lambda w: [
        Probe(p.url, p.alike, p.subs, method="post")
        for p in _work_probes(w, "/works/{}/kudos")
        if w.work_hidden
    ],
    "comment_post": lambda w: [
        Probe(p.url, p.alike, p.subs, method="post")
        for p in _work_probes(w, "/works/{}/comments")
        if w.work_hidden
    ],
    "comment_reply": lambda w: _comment_probes(w, "/comments/{}/reply"),
    "comment_edit": lambda w: _comment_probes(w, "/comments/{}/edit"),
    "comment_delete": lambda w: _comment_probes(w, "/comments/{}/delete"),
    "comment_moderate": lambda w: _comment_probes(w, "/comments/{}/moderate", "post"),
    # Reports: what a reader cannot see they cannot report (the 404 a missing one gets).
    "report_work": lambda w: [
        *_work_probes(w, "/works/{}/report"),
        *[Probe(p.url, p.alike, p.subs, method="post") for p in _work_probes(w, "/works/{}/report")],
        Probe(f"/works/{w.public.pk}/report"),
    ],
    "report_comment": lambda w: [
        *_comment_probes(w, "/comments/{}/report"),
        *_comment_probes(w, "/comments/{}/report", "post"),
    ],
    # Saved exclusions: the owner's alone; a guest is sent to log in, anyone else gets a 404.
    "exclusions": lambda w: _author_probes(w, "/users/{}/exclusions"),
    # The author's pages: a guest is sent to log in, anyone but a creator (staff too) gets the 404
    # a missing work gets.
    "work_new": lambda w: [Probe("/works/new")],
    "work_edit": lambda w: _work_probes(w, "/works/{}/edit"),
    "work_preview": lambda w: _work_probes(w, "/works/{}/preview"),
    "work_post": lambda w: [
        Probe(p.url, p.alike, p.subs, method="post") for p in _work_probes(w, "/works/{}/post")
    ],
    "work_delete": lambda w: _work_probes(w, "/works/{}/delete"),
    "work_orphan": lambda w: _work_probes(w, "/works/{}/orphan"),
    # A creator's chapter pages: a guest is sent to log in, anyone else (staff too) gets the 404 a
    # missing work gets, and a hidden chapter answers as a missing one.
    "chapter_new": lambda w: _work_probes(w, "/works/{}/chapters/new"),
    "chapters_manage": lambda w: _work_probes(w, "/works/{}/chapters/manage"),
    "chapter_edit": lambda w: _chapter_probes(w, "edit"),
    "chapter_delete": lambda w: _chapter_probes(w, "delete"),
    "chapter_post": lambda w: [
        Probe(p.url, p.alike, p.subs, method="post") for p in _chapter_probes(w, "post")
    ],
    "work_feed": lambda w: [
        *_work_probes(w, "/works/{}/feed.atom"),
        Probe(f"/works/{w.public.pk}/feed.atom"),
    ],
    "series": lambda w: [
        _pair("/series/{}", w.series.pk, MISSING_ID) if w.work_hidden else Probe(f"/series/{w.series.pk}"),
        Probe(f"/series/{w.public_series.pk}"),
    ],
    # Bookmarks: a hidden work's (or its series') form and list answer like a missing one's; the
    # bookmarker's pages send a guest to log in and answer anyone else's bookmark like a missing one.
    "series_bookmark": lambda w: [
        _pair("/series/{}/bookmark", w.series.pk, MISSING_ID)
        if w.work_hidden
        else Probe(f"/series/{w.series.pk}/bookmark"),
        Probe(f"/series/{w.public_series.pk}/bookmark"),
    ],
    "work_bookmark": lambda w: _work_probes(w, "/works/{}/bookmark"),
    "work_bookmarks": lambda w: [
        *_work_probes(w, "/works/{}/bookmarks"),
        *_reader_bookmark_probes(w, f"/works/{w.public.pk}/bookmarks"),
        *[_typed_tag_pair(f"/works/{w.public.pk}/bookmarks?with={{}}", name) for name in w.tags],
    ],
    "user_bookmarks": lambda w: [
        *_author_probes(w, "/users/{}/bookmarks"),
        *_reader_bookmark_probes(w),
    ],
    "external_bookmark_new": lambda w: [Probe("/bookmarks/external/new")],
    "bookmark_edit": lambda w: _bookmark_probes(w, "/bookmarks/{}/edit"),
    "bookmark_delete": lambda w: [
        *_bookmark_probes(w, "/bookmarks/{}/delete"),
        *_bookmark_probes(w, "/bookmarks/{}/delete", "post"),
    ],
    "tag": lambda w: _tag_probes(w, "/tags/{}"),
    "tag_works": lambda w: _tag_probes(w, "/tags/{}/works"),
    "tag_feed": lambda w: _tag_probes(w, "/tags/{}/feed.atom"),
    "fandoms": lambda w: [Probe("/fandoms")],
    "tag_autocomplete": lambda w: [
        _search("/autocomplete/tags?term={}", w),
        _search("/autocomplete/tags?term={}&kind=freeform", w),
        _search("/autocomplete/tags?term={}%20fandom", w),
        Probe("/autocomplete/tags?term=found"),
    ],
    "user": lambda w: _author_probes(w, "/users/{}"),
    "user_works": lambda w: _author_probes(w, "/users/{}/works"),
    # A reader's own pages: a guest is sent to log in, anyone else gets a missing user's 404.
    "history": lambda w: [
        *_author_probes(w, "/users/{}/history"),
        *_author_probes(w, "/users/{}/history?show=later"),
    ],
    "history_preference": lambda w: [
        Probe(p.url, p.alike, p.subs, method="post")
        for p in _author_probes(w, "/users/{}/history/preference")
    ],
    "history_clear": lambda w: [
        Probe(p.url, p.alike, p.subs, method="post") for p in _author_probes(w, "/users/{}/history/clear")
    ],
    "user_kudos": lambda w: _author_probes(w, "/users/{}/kudos"),
    "pseuds": lambda w: _author_probes(w, "/users/{}/pseuds"),
    # An imported author's pseud is named as the author.
    "pseud": lambda w: _author_probes(w, "/users/{0}/pseuds/{0}"),
    # The owner's pseud pages: a guest is sent to log in, anyone else gets a missing user's 404.
    "pseud_new": lambda w: _author_probes(w, "/users/{}/pseuds/new"),
    "pseud_edit": lambda w: _author_probes(w, "/users/{0}/pseuds/{0}/edit"),
    "pseud_delete": lambda w: _author_probes(w, "/users/{0}/pseuds/{0}/delete"),
    "dashboard": lambda w: [Probe("/dashboard")],
    # A reader's own subscriptions and inbox (log-in): they show only the reader's own rows.
    "subscriptions": lambda w: [Probe("/subscriptions")],
    "subscribe": lambda w: [Probe("/subscriptions/new", method="post")],
    "subscription_delete": lambda w: [Probe(f"/subscriptions/{MISSING_ID}/delete", method="post")],
    "inbox": lambda w: [Probe("/inbox")],
    "inbox_read": lambda w: [Probe("/inbox/read", method="post")],
    "inbox_delete": lambda w: [Probe("/inbox/delete", method="post")],
    # A new feed address leaves a message for the next page: the settings page shows it.
    "inbox_feed_token": lambda w: [Probe("/inbox/feed", method="post")],
    "inbox_settings": lambda w: [Probe("/inbox/settings")],
    # Without its owner's token the private feed is a 404, alike for a hidden and a missing author.
    "inbox_feed": lambda w: _author_probes(w, "/users/{}/inbox/notthetoken.atom"),
    # Someone else's creatorship answers like one that does not exist.
    "invitation_accept": lambda w: [_invitation_probe(w, "accept")],
    "invitation_decline": lambda w: [_invitation_probe(w, "decline")],
    # Log-in routes: a guest is sent to log in, a member asking of a hidden author gets the 404.
    "claim_request": lambda w: _author_probes(w, "/users/{}/claim"),
    "claim_confirm": lambda w: [Probe(f"/claims/{w.mark}token")],
    "upload": lambda w: [Probe("/works/new/upload")],
    "upload_review": lambda w: _work_probes(w, "/works/{}/review"),
    "user_feed": lambda w: _author_probes(w, "/users/{}/feed.atom"),
    "opds_root": lambda w: [Probe("/opds/")],
    "opds_opensearch": lambda w: [Probe("/opds/opensearch.xml")],
    "opds_search": lambda w: [_search("/opds/search?q={}", w)],
    "opds_recent": lambda w: [Probe("/opds/recent")],
    "opds_fandoms": lambda w: [Probe("/opds/fandoms")],
    "opds_fandom": lambda w: _tag_probes(w, "/opds/fandoms/{}", fandom_only=True),
    "opds_tags": lambda w: [Probe("/opds/tags")],
    "opds_tag": lambda w: _tag_probes(w, "/opds/tags/{}"),
    "opds_kind": lambda w: [Probe(f"/opds/kinds/{kind.value}") for kind in TagKind],
    "opds_authors": lambda w: [Probe("/opds/authors")],
    "opds_author": lambda w: _author_probes(w, "/opds/authors/{}"),
    # Account pages (accounts/urls.py, allauth's): they show no work; a guest is sent to log in or
    # gets a form, a member their own settings.
    **{
        name: lambda w, url=url: [Probe(url)]
        for name, url in {
            "login": "/login",
            "logout": "/logout",
            "signup": "/signup",
            "account_login": "/accounts/login/",
            "account_logout": "/accounts/logout/",
            "account_inactive": "/accounts/inactive/",
            "account_signup": "/accounts/signup/",
            "account_reauthenticate": "/accounts/reauthenticate/",
            "account_request_reauthentication_code": "/accounts/reauthenticate/code/",
            "account_confirm_reauthentication_code": "/accounts/reauthenticate/code/confirm/",
            "account_email": "/accounts/email/",
            "account_email_verification_sent": "/accounts/confirm-email/",
            "account_confirm_email": "/accounts/confirm-email/nokey/",
            "account_change_password": "/accounts/password/change/",
            "account_set_password": "/accounts/password/set/",
            "account_reset_password": "/accounts/password/reset/",
            "account_reset_password_done": "/accounts/password/reset/done/",
            "account_reset_password_from_key": "/accounts/password/reset/key/1-nokey/",
            "account_reset_password_from_key_done": "/accounts/password/reset/key/done/",
            "account_confirm_login_code": "/accounts/login/code/confirm/",
            "account_change_username": "/accounts/username/",
            "account_delete": "/accounts/delete/",
            "mfa_index": "/accounts/2fa/",
            "mfa_authenticate": "/accounts/2fa/authenticate/",
            "mfa_reauthenticate": "/accounts/2fa/reauthenticate/",
            "mfa_activate_totp": "/accounts/2fa/totp/activate/",
            "mfa_deactivate_totp": "/accounts/2fa/totp/deactivate/",
            "mfa_view_recovery_codes": "/accounts/2fa/recovery-codes/",
            "mfa_generate_recovery_codes": "/accounts/2fa/recovery-codes/generate/",
            "mfa_download_recovery_codes": "/accounts/2fa/recovery-codes/download/",
            "signup_invitation_request": "/invitations/request",
            "signup_invitation": "/invitations/notoken",
        }.items()
    },
}


def _route_names(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            # The admin is staff's; the API has its own matrix over every read endpoint and work
            # state (tests/api/test_access.py).
            if pattern.namespace in ("admin", "api-1"):
                continue
            yield from _route_names(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), str(pattern.name)


def test_every_route_has_probes() -> None:
    routes = dict(_route_names(get_resolver().url_patterns))
    unprobed = {path: name for path, name in routes.items() if name not in PROBES}
    assert not unprobed, f"routes missing from the leak matrix (add them to PROBES): {unprobed}"
    assert set(PROBES) <= set(routes.values()), "probes for routes that no longer exist"


def _body(response: Any) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return str(response.content.decode("utf-8", "replace"))


def _fetch(client: Client, probe_url: str, method: str) -> tuple[int, str]:
    response = getattr(client, method)(probe_url)
    return response.status_code, _body(response)


_NOW = re.compile(r"<updated>[^<]*</updated>")


def _check(client: Client, w: World, route: str, probe: Probe) -> list[str]:
    problems = []
    status, body = _fetch(client, probe.url, probe.method)
    if status >= 500:
        problems.append(f"{route} {probe.url}: {status}")
    for secret, missing in probe.subs:
        body = body.replace(secret, missing)
    if w.mark in body.lower():
        at = body.lower().index(w.mark)
        problems.append(f"{route} {probe.url}: shows {body[max(at - 60, 0) : at + 40]!r}")
    if probe.alike is not None:
        other_status, other = _fetch(client, probe.alike, probe.method)
        # An empty feed is "updated" now; two fetches may straddle a second.
        body, other = _NOW.sub("NOW", body), _NOW.sub("NOW", other)
        if (status, body) != (other_status, other):
            diff = next((i for i, (a, b) in enumerate(zip(body, other, strict=False)) if a != b), 0)
            problems.append(
                f"{route} {probe.url}: {status}, unlike {probe.alike}: {other_status}"
                f" (at {body[max(diff - 60, 0) : diff + 60]!r})"
            )
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_hidden_leaks_to_a_guest(
    kind: str, backend: str, client: Client, build_parsed: Callable[..., Any]
) -> None:
    world = _build(kind, build_parsed)
    _assert_no_leaks(client, world)


@pytest.mark.parametrize(
    ("viewer", "kind"),
    [
        ("member", "draft"),
        ("member", "hidden"),
        ("member", "unposted_chapter"),
        ("staff", "draft"),
        ("staff", "unposted_chapter"),
    ],
)
def test_nothing_hidden_leaks_to_a_member_or_staff(
    viewer: str, kind: str, backend: str, client: Client, build_parsed: Callable[..., Any]
) -> None:
    world = _build(kind, build_parsed)
    client.force_login(User.objects.create_user(viewer, password="x", is_staff=viewer == "staff"))
    _assert_no_leaks(client, world)


def _assert_no_leaks(client: Client, world: World) -> None:
    problems: list[str] = []
    for route, probes in PROBES.items():
        for probe in probes(world):
            problems += _check(client, world, route, probe)
    assert not problems, "\n".join(problems)
    # The probes can fail: the public work is there to be found, and its page answers.
    assert "Open Harbour" in client.get("/works").content.decode()


def test_members_see_restricted_works_and_their_tags(
    backend: str, client: Client, build_parsed: Callable[..., Any]
) -> None:
    """The restricted world seen by a member: everything the guest was refused is there, so the
    probes above do find what they look for when it may be seen."""
    world = _build("restricted", build_parsed)
    client.force_login(User.objects.create_user("member", password="x"))
    mark = world.mark
    assert mark in client.get(f"/works?q={mark}").content.decode()
    assert client.get(f"/works/{world.work.pk}/chapters/1").status_code == 200
    names = [t["name"] for t in json.loads(client.get(f"/autocomplete/tags?term={mark}").content)["tags"]]
    assert f"{mark} Freeform" in names and f"{mark} Fandom" in names
    assert client.get(f"/tags/{_tag_part(f'{mark} Freeform')}").status_code == 200
    assert f"{mark} Subtag" in client.get("/tags/Found Family").content.decode()
    assert client.get(f"/users/{world.author}").status_code == 200
    assert client.get(f"/series/{world.series.pk}").status_code == 200
    assert mark in client.get(f"/works/{world.public.pk}").content.decode().lower()
    tag_id = Tag.objects.get(name=f"{mark} Freeform").pk
    assert f"{mark} Freeform" in client.get(f"/works?include={tag_id}").content.decode()
