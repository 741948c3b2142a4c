"""fanarchive export WORK --format FMT -o FILE: download a work as an e-book or document."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from fanarchive.cli.remote import RemoteError, add_remote_arguments, export_remote
from fanarchive.cli.setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write a work as EPUB, PDF, HTML, TXT, AZW3 or MOBI",
        description="Write the work whose id is WORK (the number in its /works/<id> URL) in FORMAT "
        "to FILE ('-' for stdout). Formats: epub, pdf, html, txt; azw3 and mobi when calibre's "
        "ebook-convert is installed. The file is the one the work page's download links serve.",
    )
    parser.add_argument("work", type=int, metavar="WORK")
    parser.add_argument("--format", dest="format_name", default="epub", metavar="FMT")
    parser.add_argument("-o", "--output", required=True, metavar="FILE")
    add_remote_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.remote:
        write: Callable[[BinaryIO], None] = lambda out: export_remote(args, out)  # noqa: E731
        unavailable: tuple[type[Exception], ...] = (RemoteError,)
    else:
        setup_django(read_only=True)
        from fanarchive.archive.exports.copy import ExportUnavailable, export_work

        write = lambda out: export_work(args.work, args.format_name, out)  # noqa: E731
        unavailable = (ExportUnavailable,)
    try:
        if args.output == "-":
            write(sys.stdout.buffer)
        else:
            target = Path(args.output)
            partial = target.with_name(target.name + ".part")
            try:
                with partial.open("wb") as out:
                    write(out)
                partial.replace(target)
            finally:
                partial.unlink(missing_ok=True)
    except unavailable as error:
        print(f"fanarchive export: {error}", file=sys.stderr)
        return 2
    return 0
