"""OPDS 1.2 catalogue documents: navigation feeds, acquisition feeds and the OpenSearch
description. Views pass in what to list; nothing here queries the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from lxml import etree

from fanarchive.archive.feeds import links
from fanarchive.archive.feeds.entries import add_work_basics, summary_text
from fanarchive.archive.feeds.queries import FeedPage
from fanarchive.archive.feeds.xml import DC, OPDS_NSMAP, OPENSEARCH, root, sub, timestamp
from fanarchive.archive.web.blurbs import Blurb
from fanarchive.domain.languages import language_tag

# Builds the address of page N of the feed being written.
PageUrl = Callable[[int], str]


@dataclass
class Feed:
    """What every catalogue feed says about itself."""

    id: str
    title: str
    kind: str  # links.NAVIGATION or links.ACQUISITION
    up: str | None = None  # the navigation feed above this one
    alternate: str | None = None  # the same listing as a web page


@dataclass
class NavigationEntry:
    title: str
    href: str
    kind: str
    description: str
    updated: date | datetime | None = None
    rel: str = "subsection"


def _feed(feed: Feed, self_url: str, updated: date | datetime | None) -> etree._Element:
    document = root("feed", OPDS_NSMAP)
    sub(document, "id", feed.id)
    sub(document, "title", feed.title)
    sub(document, "updated", timestamp(updated or timezone.now()))
    author = sub(document, "author")
    sub(author, "name", settings.SITE_NAME)
    sub(author, "uri", links.absolute("/"))
    sub(document, "link", attrs={"rel": "self", "href": self_url, "type": feed.kind})
    sub(document, "link", attrs={"rel": "start", "href": links.url("opds_root"), "type": links.NAVIGATION})
    if feed.up:
        sub(document, "link", attrs={"rel": "up", "href": feed.up, "type": links.NAVIGATION})
    if feed.alternate:
        sub(document, "link", attrs={"rel": "alternate", "href": feed.alternate, "type": links.HTML})
    sub(
        document,
        "link",
        attrs={
            "rel": "search",
            "href": links.url("opds_opensearch"),
            "type": links.OPENSEARCH_DESCRIPTION,
            "title": f"Search {settings.SITE_NAME}",
        },
    )
    return document


def _paginate(document: etree._Element, page: FeedPage[Any], page_url: PageUrl, kind: str) -> None:
    """RFC 5005 paging links plus the OpenSearch counts OPDS readers use to show progress."""
    targets = {"first": 1, "last": page.last}
    if page.number > 1:
        targets["previous"] = page.number - 1
    if page.number < page.last:
        targets["next"] = page.number + 1
    for rel in ("first", "previous", "next", "last"):
        if rel in targets:
            sub(document, "link", attrs={"rel": rel, "href": page_url(targets[rel]), "type": kind})
    sub(document, "totalResults", str(page.total), namespace=OPENSEARCH)
    sub(document, "itemsPerPage", str(page.per_page), namespace=OPENSEARCH)
    sub(document, "startIndex", str(page.start_index), namespace=OPENSEARCH)


def navigation_feed(
    feed: Feed,
    entries: list[NavigationEntry],
    *,
    page: FeedPage[Any] | None = None,
    page_url: PageUrl | None = None,
    updated: date | datetime | None = None,
) -> etree._Element:
    newest = max((entry.updated for entry in entries if entry.updated), default=None)
    self_url = page_url(page.number) if page and page_url else feed.id
    document = _feed(feed, self_url, updated or newest)
    if page and page_url:
        _paginate(document, page, page_url, feed.kind)
    for item in entries:
        entry = sub(document, "entry")
        sub(entry, "id", item.href)
        sub(entry, "title", item.title)
        sub(entry, "updated", timestamp(item.updated or updated or newest or timezone.now()))
        sub(entry, "link", attrs={"rel": item.rel, "href": item.href, "type": item.kind})
        sub(entry, "content", item.description, attrs={"type": "text"})
    return document


def acquisition_feed(
    feed: Feed, blurbs: list[Blurb], page: FeedPage[Any], page_url: PageUrl
) -> etree._Element:
    newest = max((blurb.work.updated for blurb in blurbs), default=None)
    document = _feed(feed, page_url(page.number), newest)
    _paginate(document, page, page_url, feed.kind)
    for blurb in blurbs:
        add_catalogue_entry(document, blurb)
    return document


def add_catalogue_entry(document: etree._Element, blurb: Blurb) -> etree._Element:
    work = blurb.work
    entry = sub(document, "entry")
    add_work_basics(entry, blurb)
    sub(entry, "issued", work.published.isoformat(), namespace=DC)
    language = language_tag(work.language)
    if language:
        sub(entry, "language", language, namespace=DC)
    if work.summary.strip():
        # The OPDS schema allows only text summaries; the HTML goes in content for readers that
        # render it.
        sub(entry, "summary", summary_text(work.summary), attrs={"type": "text"})
        sub(entry, "content", work.summary, attrs={"type": "html"})
    for href, media_type, label in links.downloads(work.pk, work.title):
        sub(
            entry,
            "link",
            attrs={"rel": links.REL_ACQUISITION, "href": href, "type": media_type, "title": label},
        )
    # Covers: works have none yet. When they do, add REL_IMAGE and REL_THUMBNAIL links here.
    return entry


def opensearch_description() -> etree._Element:
    document = root("OpenSearchDescription", {None: OPENSEARCH}, namespace=OPENSEARCH)
    # The spec caps ShortName at 16 characters.
    sub(document, "ShortName", settings.SITE_NAME[:16], namespace=OPENSEARCH)
    sub(document, "Description", f"Search the works of {settings.SITE_NAME}", namespace=OPENSEARCH)
    sub(document, "InputEncoding", "UTF-8", namespace=OPENSEARCH)
    sub(document, "OutputEncoding", "UTF-8", namespace=OPENSEARCH)
    sub(
        document,
        "Url",
        attrs={
            "type": links.ACQUISITION,
            "rel": "results",
            # Built by hand because reverse() would percent-encode the braces of the template.
            "template": links.url("opds_search") + "?q={searchTerms}",
        },
        namespace=OPENSEARCH,
    )
    sub(
        document,
        "Url",
        attrs={
            "type": links.ATOM_FEED,
            "rel": "results",
            "template": links.url("opds_search") + "?q={searchTerms}",
        },
        namespace=OPENSEARCH,
    )
    return document
