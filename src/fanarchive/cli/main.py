"""`fanarchive`: the one command for everything a person or a script does."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from fanarchive import __version__
from fanarchive.cli import (
    backup,
    bench,
    createsuperuser,
    export,
    import_,
    indexer,
    invite,
    mail,
    parse,
    reindex,
    restore,
    role,
    search,
    serve,
    worker,
)

COMMANDS = (
    serve,
    import_,
    parse,
    export,
    search,
    reindex,
    indexer,
    worker,
    bench,
    backup,
    restore,
    createsuperuser,
    role,
    invite,
    mail,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fanarchive",
        description="A self-hostable fan-fiction archive. Data lives in $FANARCHIVE_HOME "
        "(default ./fanarchive-data); DATABASE_URL=postgresql://... switches to PostgreSQL.",
    )
    parser.add_argument("--version", action="version", version=f"fanarchive {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`fanarchive search ... | head`): nothing left to say to it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return result


if __name__ == "__main__":
    sys.exit(main())
