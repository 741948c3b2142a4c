"""fanarchive reindex: rebuild the search index from the database."""

from __future__ import annotations

import argparse

from fanarchive.cli.progress import Progress
from fanarchive.cli.setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "reindex",
        help="rebuild the search index from the database",
        description="Rebuild the search index from the database, which is always the source of "
        "truth; shows a progress bar. Safe while the archive is serving: searches see the old index "
        "until the rebuild commits.",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    setup_django(migrate=True)
    from fanarchive.archive.indexing.indexer import reindex_all
    from fanarchive.archive.indexing.service import get_backend

    progress = Progress("indexing")
    count = reindex_all(
        get_backend(), on_progress=lambda done, total: progress.update(done, f"of {total} works")
    )
    progress.finish(count, "works")
    print(f"indexed {count} works")
    return 0
