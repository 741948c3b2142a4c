"""fanarchive worker: run background tasks (huey's consumer)."""

from __future__ import annotations

import argparse

from fanarchive.cli.setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="run background tasks (hit counters to the index, scheduled drafts, inbox mail, clean-ups)",
        description="Run huey's task consumer: queued tasks and the periodic ones (hits passed on to "
        "the search index every minute, scheduled drafts posted on their minute, new inbox items e-mailed "
        "every minute and daily or weekly digests checked hourly, old visitor rows purged daily). "
        "`fanarchive serve` runs one; "
        "run it yourself when several servers share one database. The queue is a SQLite file in "
        "$FANARCHIVE_HOME, or Redis when FANARCHIVE_REDIS_URL is set.",
    )
    parser.add_argument("--workers", type=int, default=1, help="worker threads (default 1)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    setup_django(migrate=True)
    from django.core.management import call_command

    call_command("run_huey", workers=args.workers, worker_type="thread")
    return 0
