"""fanarchive restore FILE: bring a backup back into an empty archive."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fanarchive.cli.setup import setup_django
from fanarchive.domain.counting import counted


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "restore",
        help="restore a backup made by `fanarchive backup` into an empty archive",
        description="Check FILE against its manifest, load its database into this archive "
        "($FANARCHIVE_HOME, or DATABASE_URL for PostgreSQL), put back the secret key and media, "
        "migrate if the backup is older and rebuild the search index. Refuses an archive that "
        "holds works or users unless --force; stop `fanarchive serve` first.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--force", action="store_true", help="replace an archive that is not empty")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    from fanarchive.archive.backups import BackupError, restore_backup

    try:
        manifest = restore_backup(args.file, force=args.force)
    except BackupError as error:
        print(f"fanarchive restore: {error}", file=sys.stderr)
        return 1
    call_command("migrate", interactive=False, verbosity=0)
    from fanarchive.archive.indexing.indexer import queue_all, reindex_all
    from fanarchive.archive.indexing.service import get_backend
    from fanarchive.search.backend import IndexBusy

    try:
        indexed = f"indexed {counted(reindex_all(get_backend()), 'work')}"
    except IndexBusy:
        # Another process (a `serve` left running) writes the index: it reindexes from the outbox.
        indexed = f"queued {counted(queue_all(), 'work')} for the running indexer"
    counts = ", ".join(f"{count} {name}" for name, count in manifest["counts"].items())
    print(
        f"restored {counts} from {args.file} (made {manifest['created']}); "
        f"ran {counted(manifest['pending_migrations'], 'migration')}; {indexed}"
    )
    return 0
