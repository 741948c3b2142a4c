"""fanarchive reindex: rebuild the search index from the database."""

from __future__ import annotations

import argparse
import sys

from fanarchive.cli.setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "reindex",
        help="rebuild the search index from the database",
        description="Rebuild the search index from the database, which is always the source of "
        "truth; shows a progress bar.",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    setup_django(migrate=True)
    from fanarchive.archive.searching import SearchUnavailable, reindex_all

    try:
        count = reindex_all()
    except SearchUnavailable as error:
        print(f"fanarchive reindex: {error}", file=sys.stderr)
        return 2
    print(f"indexed {count} works")
    return 0
