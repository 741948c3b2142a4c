"""What a works listing page shows: the reader's filters read from the URL, and the page the
listing service answers them with."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from fanarchive.archive.access import Viewer, visible_tags
from fanarchive.archive.listing.service import WorkPage, list_works
from fanarchive.archive.models import Tag
from fanarchive.archive.web.blurbs import Blurb
from fanarchive.domain.query import SearchQuery, Sort, query_from_params
from fanarchive.domain.tags import TAG_KINDS, TagKind, tag_key
from fanarchive.search.documents import FacetCount

SORT_LABELS: dict[Sort, str] = {
    Sort.RELEVANCE: "Best match",
    Sort.UPDATED: "Date updated",
    Sort.PUBLISHED: "Date posted",
    Sort.KUDOS: "Kudos",
    Sort.HITS: "Hits",
    Sort.COMMENTS: "Comments",
    Sort.BOOKMARKS: "Bookmarks",
    Sort.WORDS: "Word count",
    Sort.TITLE: "Title",
    Sort.AUTHOR: "Author",
}


@dataclass
class FacetGroup:
    kind: TagKind
    counts: list[FacetCount]


@dataclass
class Listing:
    result: WorkPage
    facets: list[FacetGroup] = field(default_factory=list)
    chosen_tags: dict[int, Tag] = field(default_factory=dict)
    unknown_names: list[str] = field(default_factory=list)

    @property
    def query(self) -> SearchQuery:
        return self.result.query

    @property
    def blurbs(self) -> list[Blurb]:
        return self.result.blurbs

    @property
    def pages(self) -> int:
        return self.result.pages

    @property
    def first_index(self) -> int:
        return self.query.offset + 1 if self.result.total else 0

    @property
    def last_index(self) -> int:
        return min(self.query.offset + self.query.limit, self.result.total)

    def page_url(self, page: int) -> str:
        return "?" + urlencode(self.query.with_page(page).to_params())

    @property
    def previous_url(self) -> str | None:
        return self.page_url(self.query.page - 1) if self.query.page > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.page_url(self.query.page + 1) if self.query.page < self.pages else None

    @property
    def included(self) -> list[Tag]:
        return [self.chosen_tags[i] for i in self.query.include_tag_ids if i in self.chosen_tags]

    @property
    def excluded(self) -> list[Tag]:
        return [self.chosen_tags[i] for i in self.query.exclude_tag_ids if i in self.chosen_tags]

    def _in_facets(self, tag_id: int) -> bool:
        return any(facet.tag_id == tag_id for group in self.facets for facet in group.counts)

    @property
    def included_elsewhere(self) -> list[Tag]:
        """Chosen tags the facet lists do not show (typed in, or past the top counts): the sidebar
        shows them checked apart, so each can be unchecked alone."""
        return [tag for tag in self.included if not self._in_facets(tag.pk)]

    @property
    def excluded_elsewhere(self) -> list[Tag]:
        # An excluded tag is on no result, so it is never among the facets' counts.
        return [tag for tag in self.excluded if not self._in_facets(tag.pk)]

    @property
    def unnamed_include_ids(self) -> list[int]:
        """Ids asked for that name no tag this viewer may see: kept as they were sent (a hidden
        field), never named."""
        return [i for i in self.query.include_tag_ids if i not in self.chosen_tags and not self._in_facets(i)]

    @property
    def unnamed_exclude_ids(self) -> list[int]:
        return [i for i in self.query.exclude_tag_ids if i not in self.chosen_tags and not self._in_facets(i)]


def _names(params: QueryDict, name: str) -> list[str]:
    return [part.strip() for value in params.getlist(name) for part in value.split(",") if part.strip()]


def _resolve_names(seen: QuerySet[Tag], names: list[str]) -> tuple[list[int], list[str]]:
    """Tag names typed into the sidebar, as the ids of the tags they are filed under; a tag the
    viewer may not see is unknown, like one that does not exist."""
    found: list[int] = []
    unknown: list[str] = []
    if not names:
        return found, unknown
    tags = {tag.key: tag for tag in seen.filter(key__in=[tag_key(n) for n in names])}
    for name in names:
        tag = tags.get(tag_key(name))
        if tag is None:
            unknown.append(name)
        else:
            found.append(tag.merger_id or tag.pk)
    return found, unknown


def build_listing(
    request: HttpRequest,
    *,
    include: tuple[int, ...] = (),
    work_ids: tuple[int, ...] | None = None,
    params: QueryDict | None = None,
    viewer: Viewer | None = None,
) -> Listing:
    """The listing `params` (the request's own by default) ask for, as `viewer` (the request's
    user by default) sees it: the API passes a token's account and a cursor's filters."""
    params = request.GET if params is None else params
    viewer = request.user if viewer is None else viewer
    # Every value of a repeated parameter (the facet checkboxes send `include` once per box):
    # a QueryDict read as a Mapping answers only the last one.
    query = query_from_params({name: params.getlist(name) for name in params}, facets=True)
    seen = visible_tags(viewer)
    with_ids, unknown = _resolve_names(seen, _names(params, "with"))
    without_ids, unknown_out = _resolve_names(seen, _names(params, "without"))
    query = dataclasses.replace(
        query,
        include_tag_ids=tuple(dict.fromkeys(include + query.include_tag_ids + tuple(with_ids))),
        exclude_tag_ids=tuple(dict.fromkeys(query.exclude_tag_ids + tuple(without_ids))),
        work_ids=work_ids,
    )
    page = list_works(viewer, query)
    # Only tags the viewer may see are named back: `?include=<id>` must not print any tag's name.
    chosen = {tag.pk: tag for tag in seen.filter(pk__in=query.include_tag_ids + query.exclude_tag_ids)}
    facets = [FacetGroup(kind, page.facets[kind.value]) for kind in TAG_KINDS if page.facets.get(kind.value)]
    return Listing(page, facets, chosen, unknown + unknown_out)
