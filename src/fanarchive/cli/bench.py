"""fanarchive bench ...: measurements written as JSON (never asserted as timings in tests)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="run a benchmark and write its figures as JSON",
        description="Benchmarks: each writes JSON with medians and ratios against a peer measured "
        "in the same run.",
    )
    parser.add_argument("suite", choices=["import", "export", "search", "filter", "corpus"])
    parser.add_argument("--out", default="-", help="where to write the JSON (default stdout)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print(f"fanarchive bench {args.suite}: this benchmark is not built yet", file=sys.stderr)
    return 2
