"""Plain Atom (RFC 4287) feeds for feed readers: works under a tag, works by an author, and the
chapters of one work. Views pass in what to list; nothing here queries the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from lxml import etree

from fanarchive.archive.feeds import links
from fanarchive.archive.feeds.entries import add_work_basics, work_details_html
from fanarchive.archive.feeds.xml import ATOM_NSMAP, root, sub, timestamp
from fanarchive.archive.models import Chapter
from fanarchive.archive.web.blurbs import Blurb


@dataclass
class Feed:
    id: str
    title: str
    self_url: str
    alternate: str  # the web page showing the same listing


def _feed(
    feed: Feed, updated: date | datetime | None, authors: list[tuple[str, str]] | None = None
) -> etree._Element:
    document = root("feed", ATOM_NSMAP)
    sub(document, "id", feed.id)
    sub(document, "title", feed.title)
    sub(document, "updated", timestamp(updated or timezone.now()))
    # A feed-level author keeps entries valid even when a work has no byline (orphaned works).
    for name, uri in authors or [(settings.SITE_NAME, links.absolute("/"))]:
        author = sub(document, "author")
        sub(author, "name", name)
        sub(author, "uri", uri)
    sub(document, "link", attrs={"rel": "self", "href": feed.self_url, "type": links.ATOM_FEED})
    sub(document, "link", attrs={"rel": "alternate", "href": feed.alternate, "type": links.HTML})
    sub(document, "generator", settings.SITE_NAME, attrs={"uri": links.absolute("/")})
    return document


def works_feed(feed: Feed, blurbs: list[Blurb]) -> etree._Element:
    document = _feed(feed, max((blurb.work.updated for blurb in blurbs), default=None))
    for blurb in blurbs:
        entry = sub(document, "entry")
        add_work_basics(entry, blurb)
        if blurb.work.summary.strip():
            sub(entry, "summary", blurb.work.summary, attrs={"type": "html"})
        sub(entry, "content", work_details_html(blurb), attrs={"type": "html"})
    return document


def chapters_feed(feed: Feed, blurb: Blurb, chapters: list[Chapter]) -> etree._Element:
    """One entry per posted chapter, newest first. `chapters` must already be in that order."""
    work = blurb.work
    document = _feed(
        feed,
        max((_chapter_date(blurb, chapter) for chapter in chapters), default=work.updated),
        [(pseud, links.user_url(username)) for pseud, username in blurb.authors],
    )
    for chapter in chapters:
        href = links.chapter_url(work.pk, chapter.position)
        entry = sub(document, "entry")
        sub(entry, "id", href)
        sub(entry, "title", f"{work.title}: {chapter}")
        stamp = timestamp(_chapter_date(blurb, chapter))
        sub(entry, "updated", stamp)
        sub(entry, "published", stamp)
        sub(entry, "link", attrs={"rel": "alternate", "type": links.HTML, "href": href})
        if chapter.summary.strip():
            sub(entry, "summary", chapter.summary, attrs={"type": "html"})
    return document


def _chapter_date(blurb: Blurb, chapter: Chapter) -> date:
    # Imported chapters often lack a date; the first then dates from the work, later ones from
    # its last update, which is when they can last have appeared.
    if chapter.published:
        return chapter.published
    return blurb.work.published if chapter.position == 1 else blurb.work.updated
