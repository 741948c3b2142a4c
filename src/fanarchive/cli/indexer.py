"""fanarchive indexer: keep the search index in step with the database."""

from __future__ import annotations

import argparse
import sys
import time

from fanarchive.cli.setup import setup_django
from fanarchive.cli.supervisor import parent_is_gone
from fanarchive.domain.counting import counted


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "indexer",
        help="apply database changes to the search index as they happen",
        description="Drain the search outbox into the index, then keep watching it. `fanarchive "
        "serve` runs one; run it yourself when several servers share one database.",
    )
    parser.add_argument("--once", action="store_true", help="drain what is pending, then exit")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between looks (default 0.5)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    setup_django(migrate=True)
    from django.db import close_old_connections

    from fanarchive.archive.indexing.indexer import drain_all, fill_if_empty
    from fanarchive.archive.indexing.service import get_backend
    from fanarchive.search.backend import IndexBusy

    backend = get_backend()
    queued = fill_if_empty(backend)
    if queued:
        print(
            f"fanarchive indexer: the search index is empty; indexing all {counted(queued, 'work')}",
            file=sys.stderr,
        )
    try:
        drained = drain_all(backend)
    except IndexBusy as error:
        print(f"fanarchive indexer: {error}: another indexer is running", file=sys.stderr)
        return 1
    if args.once:
        print(f"indexed {counted(drained, 'work')}")
        return 0
    while not parent_is_gone():  # the fallback for when PR_SET_PDEATHSIG could not be set
        time.sleep(args.interval)
        close_old_connections()
        drain_all(backend)
    print("fanarchive indexer: the server that started it is gone; exiting", file=sys.stderr)
    return 0
