"""A listing's page, total and facets from one aggregation pass (tantivy backend).

The usual path evaluates a listing's query three times: the page's search (top hits and count)
on the calling thread and the two facet groups on two others. A reader's saved exclusions (issue
14: 50 excluded tags and 20 muted creators are ~70 must-not clauses) make every evaluation cost
more per candidate work than counting it does, so for such a query one pass is cheaper: a
`top_hits` aggregation on the sort's packed u64 fast field gives the page, a `value_count` of
work ids the total, and the facet kinds are counted beside them. The exclusions are checked once
per candidate, and the works they leave out are then neither sorted nor counted.

Bounds: listings only (no text: relevance and snippets need the search), numeric sorts (top_hits
cannot sort on the text fast fields of title and author), and the first pages (the hits before
the page are kept while aggregating; deep pages go the usual way).
"""

from __future__ import annotations

from typing import Any

import tantivy

from fanarchive.domain.query import SearchQuery

# Exclusion clauses from which one pass pays: below, the usual path's three evaluations run in
# parallel and each costs little (bench filter's `exclusions` section measures both).
MIN_EXCLUSIONS = 16
MAX_DEPTH = 1000  # offset + page size
PAGE, TOTAL = "_page", "_total"  # keys beside the facet kinds, which never start with "_"


def wanted(query: SearchQuery, sort_field: str | None, text_query: tantivy.Query | None) -> bool:
    """Whether `query` (to be sorted by `sort_field`) is answered in one pass."""
    exclusions = len(query.exclude_tag_ids) + len(query.exclude_creator_ids) + len(query.exclude_languages)
    return (
        query.facets
        and text_query is None
        and sort_field is not None
        and sort_field not in ("s_title", "s_author")
        and query.offset + query.limit <= MAX_DEPTH
        and exclusions >= MIN_EXCLUSIONS
    )


def page_spec(sort_field: str, descending: bool, offset: int, limit: int) -> dict[str, object]:
    # The packed sort keys are unique (value << 32 | work id): the order is total, as the search's.
    # The hits before the page are fetched too and dropped by `read_page`: tantivy 0.27's top_hits
    # panics when `from` lies past the last hit (a page past the last one).
    return {
        TOTAL: {"value_count": {"field": "work_id"}},
        PAGE: {
            "top_hits": {
                "sort": [{sort_field: "desc" if descending else "asc"}],
                "size": offset + limit,
                "from": 0,
                "docvalue_fields": ["work_id"],
            }
        },
    }


def read_page(answer: dict[str, Any], offset: int) -> tuple[list[int], int]:
    """(work ids of the page in order, total) from an answer to `page_spec`."""
    hits = answer.get(PAGE, {}).get("hits", [])[offset:]
    ids = [int(hit["docvalue_fields"]["work_id"][0]) for hit in hits]
    return ids, int(answer.get(TOTAL, {}).get("value") or 0)
