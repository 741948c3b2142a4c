"""Database and search-index sizes per work, for docs/scaling.md: N bench-seeded works in a scratch
PostgreSQL database, then the archive's tables, the PostgreSQL search schema and a tantivy index
built from them, measured on disk. Prints JSON.

    python -m fanarchive.bench.sizes_bench --works 30000 --server postgres://postgres@127.0.0.1:5432

The seeded works are small (two generated paragraphs, about 125 words): these are the per-work
costs of everything but chapter text; docs/bench-search.md has the figures with 11,000-word bodies."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from fanarchive.bench.measure import machine, write_report

SCRATCH = "fanarchive_bench_sizes"


def _bytes_in_schema(cursor: Any, schema: str) -> int:
    cursor.execute(
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
        " JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = %s AND c.relkind = 'r'",
        [schema],
    )
    return int(cursor.fetchone()[0])


def measure(works: int, seed: int) -> dict[str, Any]:
    """In a process whose DATABASE_URL and FANARCHIVE_HOME name an empty archive."""
    from fanarchive.cli.setup import setup_django

    setup_django(migrate=True)
    from django.db import connection

    from fanarchive.archive.indexing.indexer import reindex_all
    from fanarchive.archive.indexing.service import make_backend
    from fanarchive.bench.import_bench import seed_existing
    from fanarchive.search.postgres_fulltext_backend import DEFAULT_SCHEMA

    seeded = seed_existing(works, seed)
    report: dict[str, Any] = {"works": works, "seed_s": round(seeded, 1)}
    for name in ("postgres", "tantivy"):
        started = time.perf_counter()
        backend = make_backend(name)
        reindex_all(backend)
        backend.close()
        report[f"{name}_reindex_s"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        report["archive_bytes"] = _bytes_in_schema(cursor, "public")
        report["postgres_search_bytes"] = _bytes_in_schema(cursor, DEFAULT_SCHEMA)
        cursor.execute("SELECT coalesce(sum(word_count), 0) FROM archive_work")
        report["words"] = int(cursor.fetchone()[0])
    home = Path(os.environ["FANARCHIVE_HOME"])
    report["tantivy_bytes"] = sum(
        path.stat().st_size for path in (home / "search").rglob("*") if path.is_file()
    )
    report["per_work_bytes"] = {
        key: report[f"{key}_bytes"] // works for key in ("archive", "postgres_search", "tantivy")
    }
    return report


def run(works: int, server: str, seed: int) -> dict[str, Any]:
    """A scratch database on `server` (dropped after), measured in a child process with its own
    settings, so this process's own archive is never touched."""
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        admin.execute(f"CREATE DATABASE {SCRATCH}")
    try:
        with tempfile.TemporaryDirectory(prefix="fanarchive-bench-sizes-") as home:
            env = os.environ | {
                "FANARCHIVE_HOME": home,
                "DATABASE_URL": f"{server.rstrip('/')}/{SCRATCH}",
                "FANARCHIVE_SEARCH_BACKEND": "postgres",
            }
            child = subprocess.run(
                [sys.executable, "-c", _CHILD, str(works), str(seed)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
    finally:
        with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
    return {"machine": machine(), **json.loads(child.stdout)}


_CHILD = (
    "import json, sys; from fanarchive.bench.sizes_bench import measure;"
    " print(json.dumps(measure(int(sys.argv[1]), int(sys.argv[2]))))"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=10000)
    parser.add_argument(
        "--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="-", help="a JSON file (default: standard output)")
    args = parser.parse_args()
    write_report(run(args.works, args.server, args.seed), args.out)


if __name__ == "__main__":
    main()
