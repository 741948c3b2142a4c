"""Search as the command line asks it: the same query, backend and hydration as the web pages."""

from __future__ import annotations

import argparse
from typing import Any

from fanarchive.archive.indexing.service import searcher
from fanarchive.archive.models import Creatorship, Tag, Work
from fanarchive.domain.query import SearchQuery, Sort
from fanarchive.domain.tags import tag_key


class SearchUnavailable(Exception):
    pass


def _tag_ids(names: list[str]) -> tuple[int, ...]:
    ids = []
    for name in names:
        tag = Tag.objects.filter(key=tag_key(name)).first()
        if tag is None:
            raise SearchUnavailable(f"no tag named {name!r}")
        ids.append(tag.merger_id or tag.pk)
    return tuple(ids)


def search_from_cli(args: argparse.Namespace) -> dict[str, Any]:
    try:
        sort = Sort(args.sort) if args.sort else None
    except ValueError:
        raise SearchUnavailable(f"unknown sort {args.sort!r}") from None
    query = SearchQuery(
        text=args.query,
        include_tag_ids=_tag_ids(args.tag),
        exclude_tag_ids=_tag_ids(args.exclude_tag),
        complete=True if args.complete else None,
        sort=sort,
        page=args.page,
        facets=True,
    )
    result = searcher().search(query)
    works = {work.pk: work for work in Work.objects.filter(pk__in=result.ids)}
    authors: dict[int, list[str]] = {}
    for work_id, name in (
        Creatorship.objects.filter(work_id__in=result.ids)
        .order_by("position")
        .values_list("work_id", "pseud__name")
    ):
        authors.setdefault(work_id, []).append(name)
    hits = []
    for work_id in result.ids:
        work = works.get(work_id)
        if work is None:
            continue  # deleted since it was indexed; the outbox will catch up
        snippet = result.snippets.get(work_id)
        hits.append(
            {
                "id": work_id,
                "title": work.title,
                "authors": authors.get(work_id, []),
                "words": work.word_count,
                "updated": work.updated.isoformat(),
                "url": f"/works/{work_id}",
                "snippet": None if snippet is None else {"chapter": snippet.chapter, "html": snippet.html},
            }
        )
    return {
        "query": args.query,
        "total": result.total,
        "page": query.page,
        "message": result.message,
        "works": hits,
        "facets": {
            kind: [{"tag_id": f.tag_id, "name": f.name, "count": f.count} for f in counts]
            for kind, counts in result.facets.items()
        },
    }
