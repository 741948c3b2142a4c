"""The search suites of `fanarchive bench`: corpus, prose, search and filter (docs/bench-search.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from fanarchive.bench.search_mix import MIXES

ENGINE_NAMES = "tantivy_ours,tantivy_raw,tantivy_raw_nosnippets,sqlite_fts5,postgres"


def register(suites: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    corpus = suites.add_parser(
        "corpus",
        help="write a seeded synthetic archive for the search benches",
        description="Write N synthetic works (one-shots, multi-chapter works, a tail of 100k+ word "
        "epics; Zipf tags over ~34,000 tags in seven kinds; fandoms with their own characters and "
        "relationships; dates, kudos, hits; prose of real English words with the Zipf and Heaps "
        "statistics of fiction) to DIR as works.jsonl, tags.jsonl, vocabulary.txt and corpus.json. "
        "The same seed gives the same corpus.",
    )
    corpus.add_argument("--works", type=int, required=True, metavar="N")
    corpus.add_argument("--out", type=Path, required=True, metavar="DIR")
    corpus.add_argument("--seed", type=int, default=1)
    corpus.add_argument(
        "--no-bodies",
        action="store_true",
        help="no chapter text (works keep their word counts): for filter-only runs",
    )
    corpus.add_argument(
        "--max-chapter-words", type=int, default=None, metavar="N", help="cap each chapter's length"
    )
    corpus.set_defaults(run=run_corpus)
    prose = suites.add_parser(
        "prose",
        help="Zipf exponent, Heaps beta and sentence repeats of the corpora's generated fiction",
        description="Generate N words of the bench corpora's fiction (stories of fan-fiction "
        "lengths) and report their Zipf exponent (first 1,000 ranks), Heaps beta, distinct words "
        "and the most repeated sentence's count, with the same figures for each --compare FILE "
        "(a real novel or fan work as plain text).",
    )
    prose.add_argument("--words", type=int, default=1_000_000, metavar="N")
    prose.add_argument("--seed", type=int, default=1)
    prose.add_argument(
        "--compare", type=Path, action="append", metavar="FILE", help="a real text to measure alike"
    )
    prose.add_argument("--out", default="-", help="JSON report path (default stdout)")
    prose.set_defaults(run=run_prose)
    for mix in MIXES:
        suite = suites.add_parser(
            mix,
            help=f"time the {mix} query mix on our tantivy backend, raw tantivy, SQLite FTS5 (and PostgreSQL)",
            description=f"Build the indexes of a `bench corpus` DIR (timed, once; kept in DIR/indexes) and "
            f"time the fixed {mix} query mix on every engine in the same run: p50/p95/p99 in ms per "
            "query kind, index sizes, build times, ratios against our backend, whether totals agree."
            + (
                " The filter mix also times its listings for a reader with 50 excluded tags and 20 "
                "muted creators against a reader without exclusions (the report's `exclusions`)."
                if mix == "filter"
                else ""
            ),
        )
        suite.add_argument("--corpus", type=Path, required=True, metavar="DIR")
        suite.add_argument(
            "--queries", type=int, default=100, metavar="N", help="distinct queries per kind (100)"
        )
        suite.add_argument(
            "--warmup", type=int, default=10, metavar="N", help="warm-up queries per kind (10)"
        )
        suite.add_argument("--seed", type=int, default=1)
        suite.add_argument(
            "--engines",
            default=None,
            help=f"comma-separated subset of {ENGINE_NAMES} (default: all available)",
        )
        suite.add_argument(
            "--pg", default=None, metavar="URL", help="also time PostgreSQL (postgresql://...)"
        )
        suite.add_argument("--rebuild", action="store_true", help="rebuild the indexes even if DIR has them")
        suite.add_argument("--out", default="-", help="JSON report path (default stdout)")
        suite.set_defaults(run=run_mix, mix=mix)


def run_corpus(args: argparse.Namespace) -> int:
    import json

    from fanarchive.bench.search_corpus import write_search_corpus

    summary = write_search_corpus(args.out, args.works, args.seed, not args.no_bodies, args.max_chapter_words)
    print(json.dumps(summary, indent=2))
    return 0


def run_prose(args: argparse.Namespace) -> int:
    from fanarchive.bench.measure import write_report
    from fanarchive.bench.prose_stats import run

    write_report(run(args.words, args.seed, args.compare), args.out)
    return 0


def run_mix(args: argparse.Namespace) -> int:
    from fanarchive.bench.measure import write_report
    from fanarchive.bench.search_bench import run

    engines = [e.strip() for e in args.engines.split(",") if e.strip()] if args.engines else None
    report = run(args.corpus, args.mix, args.queries, args.warmup, args.seed, engines, args.pg, args.rebuild)
    write_report(report, args.out)
    return 0
