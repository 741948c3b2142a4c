"""fanarchive parse FILE: read a file as work JSON without touching the archive."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fanarchive.archive.imports.sources import sibling_reader
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import parse_source
from fanarchive.domain.formats.registry import all_parsers
from fanarchive.domain.text import DecodeError
from fanarchive.domain.work import works_to_json


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    formats = ", ".join(sorted(p.name for p in all_parsers())) or "none installed"
    parser = subparsers.add_parser(
        "parse",
        help="read a fan work file and print what it holds (no database)",
        description="Parse FILE and print its works. With --json, print work JSON "
        "({'works': [...]}, schema in docs/work-json.md) to stdout. The format is detected "
        f"unless --format names one of: {formats}.",
    )
    parser.add_argument("file", help="the file to read")
    parser.add_argument("--format", dest="format_name", metavar="NAME", help="skip detection, read as NAME")
    parser.add_argument("--json", action="store_true", help="print work JSON instead of a summary")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"{path}: cannot be read: {error.strerror or error}", file=sys.stderr)
        return 2
    source = SourceFile(name=str(path), data=data, open_sibling=sibling_reader(path.parent))
    try:
        works = parse_source(source, args.format_name)
    except (ParseError, DecodeError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) else error
        print(f"{path}: {message}", file=sys.stderr)
        return 1
    if args.json:
        sys.stdout.write(works_to_json(works) + "\n")
        return 0
    for work in works:
        chapters = len(work.chapters)
        print(
            f"{work.title} by {', '.join(work.authors) or 'unknown'}: {chapters} chapter(s), {work.words} words"
        )
        for doubt in work.doubts:
            print(f"  doubt: {doubt}")
    return 0
