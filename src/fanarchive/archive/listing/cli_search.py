"""`fanarchive search`: its flags as a query to the listing service, and the page as the JSON the
command prints (a contract: tests/cli/test_commands.py). The command line reads as a guest does."""

from __future__ import annotations

import argparse
from typing import Any

from django.contrib.auth.models import AnonymousUser

from fanarchive.archive.listing.service import list_works
from fanarchive.archive.models import Tag
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


def query_from_cli(args: argparse.Namespace) -> SearchQuery:
    try:
        sort = Sort(args.sort) if args.sort else None
    except ValueError:
        raise SearchUnavailable(f"unknown sort {args.sort!r}") from None
    return SearchQuery(
        text=args.query,
        include_tag_ids=_tag_ids(args.tag),
        exclude_tag_ids=_tag_ids(args.exclude_tag),
        complete=True if args.complete else None,
        sort=sort,
        page=args.page,
        facets=True,
    )


def search_from_cli(args: argparse.Namespace) -> dict[str, Any]:
    query = query_from_cli(args)
    page = list_works(AnonymousUser(), query)
    hits = [
        {
            "id": blurb.work.pk,
            "title": blurb.work.title,
            "authors": [pseud for pseud, _ in blurb.authors],
            "words": blurb.work.word_count,
            "updated": blurb.work.updated.isoformat(),
            "url": f"/works/{blurb.work.pk}",
            "snippet": None if snippet is None else {"chapter": snippet.chapter, "html": snippet.html},
        }
        for blurb in page.blurbs
        for snippet in [page.snippets.get(blurb.work.pk)]
    ]
    return {
        "query": args.query,
        "total": page.total,
        "page": query.page,
        "message": page.message,
        "works": hits,
        "facets": {
            kind: [{"tag_id": f.tag_id, "name": f.name, "count": f.count} for f in counts]
            for kind, counts in page.facets.items()
        },
    }
