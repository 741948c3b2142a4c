"""Plain Atom feeds, at the address of the page they follow plus /feed.atom, as on AO3.

Each view runs a fixed number of queries: a lookup, and one page from the listing service."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from fanarchive.archive.access import access_user, access_work, visible_chapters
from fanarchive.archive.feeds import atom, links, queries
from fanarchive.archive.feeds.responses import respond
from fanarchive.archive.models import Work
from fanarchive.archive.web.blurbs import build_blurbs

ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"


@require_safe
def tag_feed(request: HttpRequest, tag_name: str) -> HttpResponse:
    tag = queries.filter_tag(request.user, tag_name)
    part = links.tag_part(tag.name)
    page = queries.works_page(request.user, queries.works_under(tag), None)
    feed = atom.Feed(
        id=links.url("tag_feed", part),
        title=f"{settings.SITE_NAME}: works in {tag.name}",
        self_url=links.url("tag_feed", part),
        alternate=links.url("tag_works", part),
    )
    return respond(atom.works_feed(feed, page.items), ATOM_CONTENT_TYPE)


@require_safe
def user_feed(request: HttpRequest, username: str) -> HttpResponse:
    user = access_user(request.user, username)
    page = queries.works_page(request.user, queries.works_by(request.user, user), None)
    feed = atom.Feed(
        id=links.url("user_feed", user.username),
        title=f"{settings.SITE_NAME}: works by {user.username}",
        self_url=links.url("user_feed", user.username),
        alternate=links.url("user_works", user.username),
    )
    return respond(atom.works_feed(feed, page.items), ATOM_CONTENT_TYPE)


@require_safe
def work_feed(request: HttpRequest, work_id: int) -> HttpResponse:
    work: Work = access_work(request.user, work_id)
    blurb = build_blurbs([work])[0]
    chapters = list(visible_chapters(work).reverse())
    feed = atom.Feed(
        id=links.url("work_feed", work.pk),
        title=f"{settings.SITE_NAME}: {work.title}",
        self_url=links.url("work_feed", work.pk),
        alternate=links.work_url(work.pk),
    )
    return respond(atom.chapters_feed(feed, blurb, chapters), ATOM_CONTENT_TYPE)
