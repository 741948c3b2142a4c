"""The OPDS catalogue under /opds/.

Each view runs a fixed number of queries: a lookup, and one page of rows (acquisition feeds: one
page from the listing service, as the web listings get theirs)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from fanarchive.archive.access import access_user
from fanarchive.archive.feeds import links, opds, queries
from fanarchive.archive.feeds.responses import respond
from fanarchive.archive.models import Tag
from fanarchive.domain.counting import counted
from fanarchive.domain.query import SearchQuery
from fanarchive.domain.tags import TAG_KINDS, TagKind


def _pager(name: str, *args: object, query: dict[str, str | int] | None = None) -> opds.PageUrl:
    """Page N of a feed; page 1 has no page parameter, so it has one address."""

    def page_url(number: int) -> str:
        extra: dict[str, str | int] = {"page": number} if number > 1 else {}
        return links.url(name, *args, query={**(query or {}), **extra})

    return page_url


def _acquisition(
    request: HttpRequest, feed: opds.Feed, works: SearchQuery | None, page_url: opds.PageUrl
) -> HttpResponse:
    page = queries.works_page(request.user, works, request.GET.get("page"))
    document = opds.acquisition_feed(feed, page.items, page, page_url)
    return respond(document, links.ACQUISITION)


# The catalogue root and its navigation feeds.


@require_safe
def opds_root(request: HttpRequest) -> HttpResponse:
    updated = queries.latest_update(request.user)
    entries = [
        opds.NavigationEntry(
            "Recent works",
            links.url("opds_recent"),
            links.ACQUISITION,
            "The most recently updated works.",
            updated,
            rel="http://opds-spec.org/sort/new",
        ),
        opds.NavigationEntry(
            "Fandoms", links.url("opds_fandoms"), links.NAVIGATION, "Works by fandom.", updated
        ),
        opds.NavigationEntry(
            "Tags", links.url("opds_tags"), links.NAVIGATION, "Works by tag, for each kind of tag.", updated
        ),
        opds.NavigationEntry(
            "Authors", links.url("opds_authors"), links.NAVIGATION, "Works by author.", updated
        ),
    ]
    feed = opds.Feed(
        id=links.url("opds_root"),
        title=settings.SITE_NAME,
        kind=links.NAVIGATION,
        alternate=links.absolute("/"),
    )
    return respond(opds.navigation_feed(feed, entries, updated=updated), links.NAVIGATION)


@require_safe
def opds_tag_kinds(request: HttpRequest) -> HttpResponse:
    updated = queries.latest_update(request.user)
    entries = [
        opds.NavigationEntry(
            kind.plural_label,
            links.url("opds_kind", kind.value),
            links.NAVIGATION,
            f"{kind.plural_label} with works in them.",
            updated,
        )
        for kind in TAG_KINDS
    ]
    feed = opds.Feed(
        id=links.url("opds_tags"), title="Tags", kind=links.NAVIGATION, up=links.url("opds_root")
    )
    return respond(opds.navigation_feed(feed, entries, updated=updated), links.NAVIGATION)


def _tag_navigation(
    request: HttpRequest,
    kind: TagKind,
    feed: opds.Feed,
    page_url: opds.PageUrl,
    entry_url: Callable[[Tag], str],
) -> HttpResponse:
    page = queries.paginate(queries.tags_with_works(request.user, kind.value), request.GET.get("page"))
    entries = [
        opds.NavigationEntry(tag.name, entry_url(tag), links.ACQUISITION, _count(tag.works), tag.latest)  # type: ignore[attr-defined]
        for tag in page.items
    ]
    document = opds.navigation_feed(feed, entries, page=page, page_url=page_url)
    return respond(document, links.NAVIGATION)


@require_safe
def opds_kind(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        tag_kind = TagKind(kind)
    except ValueError as error:
        raise Http404("No such kind of tag") from error
    feed = opds.Feed(
        id=links.url("opds_kind", kind),
        title=tag_kind.plural_label,
        kind=links.NAVIGATION,
        up=links.url("opds_tags"),
    )
    return _tag_navigation(
        request,
        tag_kind,
        feed,
        _pager("opds_kind", kind),
        lambda tag: links.url("opds_tag", links.tag_part(tag.name)),
    )


@require_safe
def opds_fandoms(request: HttpRequest) -> HttpResponse:
    feed = opds.Feed(
        id=links.url("opds_fandoms"),
        title="Fandoms",
        kind=links.NAVIGATION,
        up=links.url("opds_root"),
        alternate=links.url("fandoms"),
    )
    return _tag_navigation(
        request,
        TagKind.FANDOM,
        feed,
        _pager("opds_fandoms"),
        lambda tag: links.url("opds_fandom", links.tag_part(tag.name)),
    )


@require_safe
def opds_authors(request: HttpRequest) -> HttpResponse:
    page = queries.paginate(queries.authors_with_works(request.user), request.GET.get("page"))
    entries = [
        opds.NavigationEntry(
            user.username,
            links.url("opds_author", user.username),
            links.ACQUISITION,
            _count(user.works),  # type: ignore[attr-defined]
            user.latest,  # type: ignore[attr-defined]
        )
        for user in page.items
    ]
    feed = opds.Feed(
        id=links.url("opds_authors"), title="Authors", kind=links.NAVIGATION, up=links.url("opds_root")
    )
    document = opds.navigation_feed(feed, entries, page=page, page_url=_pager("opds_authors"))
    return respond(document, links.NAVIGATION)


def _count(works: int) -> str:
    return counted(works, "work")


# Acquisition feeds: pages of works with their download links.


@require_safe
def opds_recent(request: HttpRequest) -> HttpResponse:
    feed = opds.Feed(
        id=links.url("opds_recent"),
        title="Recent works",
        kind=links.ACQUISITION,
        up=links.url("opds_root"),
        alternate=links.url("works"),
    )
    return _acquisition(request, feed, queries.NEWEST_FIRST, _pager("opds_recent"))


def _tag_acquisition(request: HttpRequest, tag: Tag, name: str, up: str) -> HttpResponse:
    part = links.tag_part(tag.name)
    feed = opds.Feed(
        id=links.url(name, part),
        title=tag.name,
        kind=links.ACQUISITION,
        up=up,
        alternate=links.url("tag_works", part),
    )
    return _acquisition(request, feed, queries.works_under(tag), _pager(name, part))


@require_safe
def opds_tag(request: HttpRequest, tag_name: str) -> HttpResponse:
    tag = queries.filter_tag(request.user, tag_name)
    up = links.url("opds_fandoms") if tag.kind == TagKind.FANDOM.value else links.url("opds_kind", tag.kind)
    return _tag_acquisition(request, tag, "opds_tag", up)


@require_safe
def opds_fandom(request: HttpRequest, tag_name: str) -> HttpResponse:
    tag = queries.filter_tag(request.user, tag_name)
    if tag.kind != TagKind.FANDOM.value:
        raise Http404("No such fandom")
    return _tag_acquisition(request, tag, "opds_fandom", links.url("opds_fandoms"))


@require_safe
def opds_author(request: HttpRequest, username: str) -> HttpResponse:
    user = access_user(request.user, username)
    feed = opds.Feed(
        id=links.url("opds_author", user.username),
        title=f"Works by {user.username}",
        kind=links.ACQUISITION,
        up=links.url("opds_authors"),
        alternate=links.url("user_works", user.username),
    )
    return _acquisition(
        request, feed, queries.works_by(request.user, user), _pager("opds_author", user.username)
    )


@require_safe
def opds_search(request: HttpRequest) -> HttpResponse:
    terms = request.GET.get("q", "")
    feed = opds.Feed(
        id=links.url("opds_search", query={"q": terms}),
        title=f"Search: {terms}",
        kind=links.ACQUISITION,
        up=links.url("opds_root"),
    )
    works = queries.search_works(terms)
    return _acquisition(request, feed, works, _pager("opds_search", query={"q": terms}))


@require_safe
def opds_opensearch(request: HttpRequest) -> HttpResponse:
    return respond(opds.opensearch_description(), links.OPENSEARCH_DESCRIPTION)
