"""fanarchive bench ...: measurements written as JSON (never asserted as timings in tests)."""

from __future__ import annotations

import argparse
from pathlib import Path

from fanarchive.cli import bench_search


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="run a benchmark and write its figures as JSON",
        description="Benchmarks. Each writes JSON with medians, and ratios against a peer measured "
        "in the same run.",
    )
    suites = parser.add_subparsers(dest="suite", metavar="SUITE", required=True)
    imports = suites.add_parser(
        "import",
        help="parse-only and full-import throughput (MB/s, works/s) on a generated corpus",
        description="Generate a seeded corpus of at least --mb megabytes, time parsing it "
        "(median of --repeats) against bare lxml/json decoding, then import it into a fresh SQLite "
        "archive against raw sqlite3 inserts.",
    )
    imports.add_argument("--mb", type=float, default=200.0, help="corpus size in MB (default 200)")
    imports.add_argument("--seed", type=int, default=1)
    imports.add_argument("--repeats", type=int, default=3)
    imports.add_argument(
        "--keep-corpus", type=Path, default=None, metavar="DIR", help="write the corpus here"
    )
    imports.add_argument(
        "--existing",
        type=int,
        default=0,
        metavar="N",
        help="seed N small works by bulk insert before the timed import (per-work cost at archive size)",
    )
    imports.add_argument(
        "--no-parse", action="store_true", help="skip the parse-only and sandbox timings (full import only)"
    )
    imports.add_argument("--out", default="-", help="JSON report path (default stdout)")
    imports.set_defaults(run=run_import_bench)
    exports = suites.add_parser(
        "export",
        help="seconds per MB of each download format on a 300k-word work, against calibre",
        description="Generate one long work (CJK text, hostile notes), time each download writer "
        "(median of --repeats) and, when calibre is installed, its ebook-convert turning our HTML "
        "download into an EPUB.",
    )
    exports.add_argument("--words", type=int, default=300_000)
    exports.add_argument("--chapters", type=int, default=150)
    exports.add_argument("--repeats", type=int, default=3)
    exports.add_argument(
        "--format", dest="formats", action="append", metavar="FMT", help="only these (repeatable)"
    )
    exports.add_argument("--out", default="-", help="JSON report path (default stdout)")
    exports.set_defaults(run=run_export_bench)
    comments = suites.add_parser(
        "comments",
        help="a work page with 1,000 comments: its first 50 threads' render time",
        description="In a fresh SQLite archive, put --comments comments (threads of two) on one work "
        "and time a guest's request for its page (p50/p95 over --repeats), with the queries it took, "
        "against the same page of a work without comments in the same run.",
    )
    comments.add_argument("--comments", type=int, default=1000)
    comments.add_argument("--repeats", type=int, default=50)
    comments.add_argument("--out", default="-", help="JSON report path (default stdout)")
    comments.set_defaults(run=run_comments_bench)
    api = suites.add_parser(
        "api",
        help="GET /api/v1/works against the /works page, same filters, at N works",
        description="In a fresh SQLite archive with --works seeded works (indexed by the default "
        "search engine), time a member's GET of /works and of /api/v1/works for each of a set of "
        "filters (median of --repeats) and report the API's time over the page's.",
    )
    api.add_argument("--works", type=int, default=10_000)
    api.add_argument("--repeats", type=int, default=30)
    api.add_argument("--seed", type=int, default=1)
    api.add_argument("--out", default="-", help="JSON report path (default stdout)")
    api.add_argument(
        "--home",
        help="measure the archive an earlier run seeded (its FANARCHIVE_HOME, left in the temporary "
        "folder) instead of seeding a new one; --works is then what it holds",
    )
    api.set_defaults(run=run_api_bench)
    pages = suites.add_parser(
        "pages",
        help="a long work's chapter page: anonymous cached, anonymous uncached, logged-in; /works logged-in",
        description="In a fresh SQLite archive, one work of --chapters chapters of --words words with "
        "--comments comments; time one chapter page (p50/p95 over --repeats, with its query count) "
        "for an anonymous reader from the page cache, with the page cache off, and for a logged-in "
        "member with tag exclusions, and that member's /works page of 20 blurbs.",
    )
    pages.add_argument("--chapters", type=int, default=20)
    pages.add_argument("--words", type=int, default=5000, help="words per chapter (default 5000)")
    pages.add_argument("--comments", type=int, default=200)
    pages.add_argument("--repeats", type=int, default=100)
    pages.add_argument("--out", default="-", help="JSON report path (default stdout)")
    pages.set_defaults(run=run_pages_bench)
    serve = suites.add_parser(
        "serve",
        help="pages from `fanarchive serve` under wrk, against nginx serving copies of them",
        description="Build an archive of --works generated works (or reuse --home), start `fanarchive "
        "serve` and an nginx serving saved copies of the same pages, and run wrk against both for an "
        "anonymous chapter, /works, a fandom's works, a logged-in chapter and search results: "
        "requests/s, p50/p90/p99, the ratio to nginx and the page cache's hits, as JSON.",
    )
    serve.add_argument("--works", type=int, default=3000)
    serve.add_argument("--home", type=Path, default=None, help="an archive made by an earlier run (kept)")
    serve.add_argument("--seconds", type=float, default=10.0, help="wrk's run per page and server (10)")
    serve.add_argument("--connections", type=int, default=64, help="wrk's open connections (64)")
    serve.add_argument("--workers", type=int, default=None, help="server workers (default: serve's sizing)")
    serve.add_argument("--threads", type=int, default=None, help="threads per worker (default: serve's)")
    serve.add_argument(
        "--page", dest="pages", action="append", metavar="NAME", help="only these (repeatable)"
    )
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--out", default="-", help="JSON report path (default stdout)")
    serve.set_defaults(run=run_serve_bench)
    load = suites.add_parser(
        "load",
        help="locust's reading mix against `fanarchive serve`: errors, p95, p99",
        description="On the `bench serve` archive (built, or --home), run locust headless for --minutes "
        "with --users simulated readers pausing 1-3 s between pages: 70%% chapters, 15%% listings and "
        "filters, 10%% search, 4%% downloads, 1%% kudos and comments by members. Reports requests/s, "
        "errors, p50/p95/p99 overall and by request, writes refused by the site's rate limits.",
    )
    load.add_argument("--users", type=int, default=500)
    load.add_argument("--minutes", type=float, default=5.0)
    load.add_argument("--works", type=int, default=3000, help="when building the archive (3000)")
    load.add_argument("--home", type=Path, default=None, help="an archive made by an earlier run (kept)")
    load.add_argument("--workers", type=int, default=None, help="server workers (default: serve's sizing)")
    load.add_argument("--threads", type=int, default=None, help="threads per worker (default: serve's)")
    load.add_argument("--seed", type=int, default=1)
    load.add_argument("--out", default="-", help="JSON report path (default stdout)")
    load.set_defaults(run=run_load_bench)
    bench_search.register(suites)


def run_import_bench(args: argparse.Namespace) -> int:
    from fanarchive.bench.import_bench import run
    from fanarchive.bench.measure import write_report

    report = run(
        args.mb,
        args.seed,
        args.repeats,
        args.keep_corpus,
        existing=args.existing,
        parse_figures=not args.no_parse,
    )
    write_report(report, args.out)
    return 0


def run_comments_bench(args: argparse.Namespace) -> int:
    from fanarchive.bench.comments_bench import run
    from fanarchive.bench.measure import write_report

    write_report(run(args.comments, args.repeats), args.out)
    return 0


def run_pages_bench(args: argparse.Namespace) -> int:
    from fanarchive.bench.measure import write_report
    from fanarchive.bench.pages_bench import run

    write_report(run(args.chapters, args.words, args.comments, args.repeats), args.out)
    return 0


def run_api_bench(args: argparse.Namespace) -> int:
    from fanarchive.bench.api_bench import run
    from fanarchive.bench.measure import write_report

    write_report(run(args.works, args.repeats, args.seed, home=args.home), args.out)
    return 0


def run_export_bench(args: argparse.Namespace) -> int:
    from fanarchive.bench.export_bench import run
    from fanarchive.bench.measure import write_report

    write_report(run(args.words, args.chapters, args.repeats, args.formats), args.out)
    return 0


def run_serve_bench(args: argparse.Namespace) -> int:
    from fanarchive.bench.measure import write_report
    from fanarchive.bench.serve_bench import run

    report = run(
        args.works,
        args.home,
        args.seconds,
        args.connections,
        args.seed,
        args.workers,
        args.threads,
        args.pages,
    )
    write_report(report, args.out)
    return 0


def run_load_bench(args: argparse.Namespace) -> int:
    from fanarchive.bench.load.load_bench import run
    from fanarchive.bench.measure import write_report

    report = run(args.works, args.home, args.users, args.minutes, args.seed, args.workers, args.threads)
    write_report(report, args.out)
    return 0
