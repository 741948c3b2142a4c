"""fanarchive reindex: rebuild the search index from the database."""

from __future__ import annotations

import argparse
import sys

from fanarchive.cli.progress import Progress
from fanarchive.cli.setup import setup_django
from fanarchive.domain.counting import counted


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "reindex",
        help="rebuild the search index from the database",
        description="Rebuild the search index from the database, which is always the source of "
        "truth; shows a progress bar. Searches see the old index until the rebuild commits. The "
        "index has one writer: while `fanarchive serve` or `fanarchive indexer` runs, use --queue, "
        "which hands every work to that indexer instead.",
    )
    parser.add_argument(
        "--queue",
        action="store_true",
        help="queue every work for the running indexer instead of rebuilding in this process",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    setup_django(migrate=True, read_only=True)
    from fanarchive.archive.indexing.indexer import queue_all, reindex_all
    from fanarchive.archive.indexing.service import get_backend
    from fanarchive.search.backend import IndexBusy

    if args.queue:
        print(f"queued {counted(queue_all(), 'work')} for the indexer")
        return 0
    progress = Progress("indexing")
    try:
        count = reindex_all(get_backend(), on_progress=lambda done, total: progress.update(done, total=total))
    except IndexBusy as error:
        print(
            f"fanarchive reindex: {error} (a running `fanarchive serve` or `fanarchive indexer`); "
            "stop it first, or run `fanarchive reindex --queue` to have it reindex every work",
            file=sys.stderr,
        )
        return 1
    progress.finish(count)
    print(f"indexed {counted(count, 'work')}")
    return 0
