"""fanarchive import PATH...: store works from files, folders and zip files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fanarchive.cli.progress import Progress
from fanarchive.cli.remote import RemoteError, add_remote_arguments, import_remote
from fanarchive.cli.setup import setup_django
from fanarchive.domain.counting import counted


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import",
        help="store fan works from files, folders and zip files in the archive",
        description="Import every work found in PATHs (files, folders searched recursively, zip "
        "files). Importing the same file again changes nothing; a newer version of a work updates "
        "it in place. Each work is stored in its own transaction; each file is read in a worker "
        "process within FANARCHIVE_IMPORT_TIMEOUT and FANARCHIVE_IMPORT_MEMORY_MB, and a file that "
        "fails is named with its reason while the import goes on. Prints a summary; the exit "
        "status is 1 when anything failed, or when a work was stored without text its source says "
        "it has (an eFiction dump's chapter files missing: 'incomplete'). Whose works they are: with --as-archivist (the "
        "default) each byline name becomes an imported account nobody can log into, holding the "
        "e-mail address the source gives (eFiction backups do), until its author claims the works "
        "from the author's page; with --owner USER every work goes straight into USER's account "
        "(the byline is kept with the work). A work already credited to a real account keeps its "
        "creators when imported again. With --fandom NAME, works whose source names no fandom (most "
        "eFiction archives, FFN-mirror pages) get NAME as their fandom, with a doubt saying so.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    whose = parser.add_mutually_exclusive_group()
    whose.add_argument(
        "--owner",
        metavar="USER",
        help="credit every work to USER's default pseud instead of the byline's names",
    )
    whose.add_argument(
        "--as-archivist",
        action="store_true",
        help="credit the byline's names as imported accounts their authors can claim (the default)",
    )
    parser.add_argument(
        "--fandom",
        metavar="NAME",
        help="the fandom of works whose source names none (a doubt records it); others keep theirs",
    )
    parser.add_argument("--format", dest="format_name", metavar="NAME", help="read every file as NAME")
    parser.add_argument(
        "--max-size", type=int, default=100, metavar="MB", help="skip files larger than this (default 100)"
    )
    parser.add_argument(
        "--report",
        metavar="FILE",
        type=Path,
        help="write each file's outcome as JSON to FILE (see docs/import-report.md)",
    )
    add_remote_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.remote:
        return _run_remote(args)
    setup_django(migrate=True)
    from django.conf import settings

    from fanarchive.archive.imports.run import ImportReport, run_import
    from fanarchive.archive.imports.worker import WorkerLimits
    from fanarchive.domain.default_fandom import check_fandom_name

    fandom = None
    if args.fandom is not None:
        try:
            fandom = check_fandom_name(args.fandom)
        except ValueError as error:
            print(f"fanarchive import: error: --fandom: {error}; nothing imported", file=sys.stderr)
            return 2
    owner = None
    if args.owner is not None:
        from fanarchive.archive.models import User

        owner = User.objects.filter(username=args.owner, imported=False, is_active=True).first()
        if owner is None:
            print(
                f"fanarchive import: error: no account named {args.owner!r}; nothing imported",
                file=sys.stderr,
            )
            return 2
    progress = Progress("importing")

    def show(report: ImportReport) -> None:
        progress.update(report.works, f"({counted(report.files, 'file')})")

    try:
        report = run_import(
            args.paths,
            format_name=args.format_name,
            max_bytes=args.max_size * 1024 * 1024,
            on_progress=show,
            limits=WorkerLimits(timeout=settings.IMPORT_TIMEOUT, memory_mb=settings.IMPORT_MEMORY_MB),
            owner=owner,
            fandom=fandom,
        )
    finally:
        # Works already stored are made searchable whatever else failed, even an interrupted run.
        _index_now()
    progress.finish(report.works, f"({counted(report.files, 'file')})")
    counts = report.counts
    print(
        f"imported {counts['imported']}, updated {counts['updated']}, unchanged {counts['unchanged']}, "
        f"failed {report.failed}" + (f", incomplete {len(report.incomplete)}" if report.incomplete else "")
    )
    for name, reason in report.failures:
        print(f"failed: {name}: {reason}", file=sys.stderr)
    for name, reason in report.incomplete:
        print(f"incomplete: {name}: {reason}", file=sys.stderr)
    if args.report is not None:
        args.report.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    # Text the source says exists and that is not there fails loudly, though the works are stored.
    return 1 if report.failures or report.incomplete else 0


def _index_now() -> None:
    """Make what was imported searchable at once, unless a running indexer holds the index: then
    it picks the works up from the outbox itself within a second."""
    from fanarchive.archive.indexing.indexer import drain_all
    from fanarchive.archive.indexing.service import get_backend
    from fanarchive.search.backend import IndexBusy

    try:
        drain_all(get_backend())
    except IndexBusy:
        print("the running indexer will make these works searchable", file=sys.stderr)


def _run_remote(args: argparse.Namespace) -> int:
    """The files go up as one import job of the remote archive (staff or archivist token with the
    import scope); its report is printed and written as a local import's is."""
    try:
        report = import_remote(args)
    except RemoteError as error:
        print(f"fanarchive import: error: {error}", file=sys.stderr)
        return 2
    counts = report["counts"]
    print(
        f"imported {counts['imported']}, updated {counts['updated']}, unchanged {counts['unchanged']}, "
        f"failed {counts['failed']}"
    )
    for outcome in report["outcomes"]:
        if outcome["status"] == "failed":
            print(f"failed: {outcome['file']}: {outcome['reason']}", file=sys.stderr)
    if args.report is not None:
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 1 if counts["failed"] else 0
