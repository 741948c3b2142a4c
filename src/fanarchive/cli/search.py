"""fanarchive search QUERY: the archive's search from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from fanarchive.cli.remote import RemoteError, add_remote_arguments, search_remote
from fanarchive.cli.setup import setup_django
from fanarchive.domain.counting import counted


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "search",
        help="search works by text, tags and filters",
        description='Search the archive as the search page does: words, "exact phrases", OR, '
        "-excluded, and fields title:, author:, summary:, notes:, tag:, text:.",
    )
    parser.add_argument("query", nargs="?", default="", help="search-box text")
    parser.add_argument("--tag", action="append", default=[], help="include works with this tag")
    parser.add_argument("--exclude-tag", action="append", default=[], help="exclude works with this tag")
    parser.add_argument("--complete", action="store_true", help="complete works only")
    parser.add_argument(
        "--sort",
        default=None,
        help="updated, published, kudos, hits, comments, bookmarks, words, title, author or relevance",
    )
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_remote_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        result = search_remote(args) if args.remote else _search_here(args)
    except (RemoteError, LookupError) as error:
        print(f"fanarchive search: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(counted(result["total"], "work"))
        for hit in result["works"]:
            print(f"{hit['id']:>8}  {hit['title']} by {', '.join(hit['authors'])}")
    return 0


def _search_here(args: argparse.Namespace) -> dict[str, Any]:
    setup_django(read_only=True)
    from fanarchive.archive.listing.cli_search import SearchUnavailable, search_from_cli

    try:
        return search_from_cli(args)
    except SearchUnavailable as error:
        raise LookupError(str(error)) from None
