"""The one listing service: (viewer, query) -> a page of works.

Nothing else asks the search backend for works (tests/archive/listing/test_one_path.py), so the
visibility terms, the hydration and the order of a page are the same wherever works are listed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from fanarchive.archive.access import (
    Viewer,
    crediting,
    saved_exclusions,
    search_query,
    visible_works,
)
from fanarchive.archive.indexing.service import searcher
from fanarchive.archive.models import User, Work
from fanarchive.archive.pagecache.dependencies import shows_listing
from fanarchive.archive.web.blurbs import Blurb, build_blurbs
from fanarchive.domain.exclusions import narrowed
from fanarchive.domain.query import SearchQuery
from fanarchive.search.documents import FacetCount, Snippet


@dataclass
class WorkPage:
    query: SearchQuery  # as the backend was asked it: the viewer's visibility terms set
    blurbs: list[Blurb]  # this page's works, in the backend's order, each with what a blurb shows
    total: int  # every matching work the index holds, on all pages
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)  # by tag kind
    snippets: dict[int, Snippet] = field(default_factory=dict)  # by work id
    message: str | None = None  # the parser's words when it could not read the search text

    @property
    def works(self) -> list[Work]:
        return [blurb.work for blurb in self.blurbs]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.limit))


def list_works(
    viewer: Viewer, query: SearchQuery, *, page: int | None = None, per_page: int | None = None
) -> WorkPage:
    """One page of the works `query` finds that `viewer` may see. `page` and `per_page`, when
    given, replace the query's own. Six queries at most whatever the page size (the works, then
    build_blurbs), plus what the backend itself runs, plus three for a member's saved exclusions."""
    changes = {name: value for name, value in (("page", page), ("per_page", per_page)) if value is not None}
    # The viewer's saved exclusions narrow every listing here, so its count and facets agree.
    wanted = narrowed(dataclasses.replace(query, **changes), saved_exclusions(viewer))  # type: ignore[arg-type]
    asked = search_query(viewer, wanted)
    shows_listing()  # a page with this listing is kept only until the index next changes
    if asked.beyond_last_page:
        # Past any page an engine should be asked to skip to: the count and facets, no works.
        result = searcher().search(asked.with_page(1))
        result.ids, result.snippets = [], {}
    else:
        result = searcher().search(asked)
    # The index may lag the database by a moment: hydrate only what the viewer may see now.
    found = {work.pk: work for work in visible_works(viewer).filter(pk__in=result.ids)} if result.ids else {}
    blurbs = build_blurbs([found[i] for i in result.ids if i in found])
    snippets = {i: s for i, s in result.snippets.items() if i in found}
    return WorkPage(asked, blurbs, result.total, result.facets, snippets, result.message)


def author_work_ids(viewer: Viewer, user: User) -> tuple[int, ...]:
    """The works `user` is credited on that `viewer` may see, as a query's `work_ids`: the index
    knows pseud names, not whose pseuds they are."""
    return tuple(visible_works(viewer).filter(crediting(pseud__user=user)).values_list("pk", flat=True))
