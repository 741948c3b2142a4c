"""fanarchive backup FILE: a consistent copy of the archive, taken while it serves."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fanarchive.cli.setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "backup",
        help="write a consistent backup of the archive to FILE while it serves",
        description="Write the database (SQLite through its online backup API, PostgreSQL through "
        "pg_dump), the secret key and media files to FILE, a tar file with a manifest (format "
        "version, database kind, migrations, counts, checksums). The search index is left out: "
        "`fanarchive restore` rebuilds it. FILE appears only once complete, so a killed backup "
        "never leaves a file that looks whole.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument(
        "--bwlimit",
        type=int,
        metavar="KB",
        help="write at most KB kilobytes a second, leaving the disk to the archive it copies",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from fanarchive.archive.backups import BackupError, create_backup

    try:
        result = create_backup(args.file, bytes_per_second=args.bwlimit * 1024 if args.bwlimit else None)
    except BackupError as error:
        print(f"fanarchive backup: {error}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{count} {name}" for name, count in result.manifest["counts"].items())
    kind = result.manifest["database"]["kind"]
    print(f"wrote {result.path} ({result.size} bytes, {kind}: {counts}) in {result.seconds:.2f} s")
    return 0
