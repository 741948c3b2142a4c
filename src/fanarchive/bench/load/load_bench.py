"""`fanarchive bench load`: locust's headless run of the reading mix (locustfile.py) against
`fanarchive serve` on the bench archive, for a bounded time; errors, p50/p95/p99 and requests/s,
as JSON, against the issue's targets (0 errors, p95 ≤ 300 ms, p99 ≤ 1 s)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from fanarchive.bench.load import archive as bench_archive
from fanarchive.bench.load import server
from fanarchive.bench.measure import machine

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
MEMBERS = 60
# Search words readers type: common English words, which the generated prose is made of.
SEARCH_WORDS = "door night window morning shadow water voice light house room quiet small".split()
# Invented comment text (the bench's own, nothing copied).
COMMENTS = [
    "The lighthouse scene made me hold my breath.",
    "I keep rereading the letter in chapter one.",
    "Thank you for the quiet ending, it fits them.",
]


def plan(built: bench_archive.BenchArchive) -> dict[str, Any]:
    """What the simulated readers ask for: posted works with their chapter counts, the busiest
    fandoms, search words and member sessions."""
    from django.db.models import Count

    from fanarchive.archive.actions.authors import do_ensure_default_pseud
    from fanarchive.archive.models import Tag, User, Work

    # [id, chapters, hits]: readers pick works as often as the imported hit counts say (a
    # Pareto tail, as on a real archive), so the page cache meets the popular works again.
    works = [
        [work.pk, work.chapter_total, max(1, work.stats.hits)]
        for work in Work.objects.select_related("stats")
        .annotate(chapter_total=Count("chapters"))
        .order_by("pk")[:3000]
        if work.chapter_total
    ]
    fandoms = list(
        Tag.objects.filter(kind="fandom")
        .annotate(uses=Count("taggings"))
        .order_by("-uses")
        .values_list("name", flat=True)[:50]
    )
    members = []
    for number in range(MEMBERS):
        name = f"load-reader-{number}"
        user = User.objects.filter(username=name).first() or User.objects.create_user(name, password=None)
        # A member comments under a pseud, as one who signed up has.
        do_ensure_default_pseud(user)
        members.append([name, bench_archive.session_cookie(name)])
    return {
        "works": works,
        "fandoms": fandoms or [built.fandom],
        "words": SEARCH_WORDS,
        "members": members,
        "comments": COMMENTS,
        "member_share": 0.1,
    }


def _aggregated(stats_csv: Path) -> dict[str, Any]:
    with stats_csv.open() as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    by_name = {
        name: {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
        }
        for name, row in rows.items()
        if name != "Aggregated"
    }
    total = rows["Aggregated"]
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "requests_per_s": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "by_request": by_name,
    }


def _failures(failures_csv: Path) -> list[dict[str, Any]]:
    if not failures_csv.exists():
        return []
    with failures_csv.open() as handle:
        return [
            {
                "request": f"{row['Method']} {row['Name']}",
                "error": row["Error"],
                "count": int(row["Occurrences"]),
            }
            for row in csv.DictReader(handle)
        ]


def run(
    works: int,
    home: Path | None,
    users: int,
    minutes: float,
    seed: int,
    server_workers: int | None,
    server_threads: int | None,
) -> dict[str, Any]:
    from fanarchive.cli.serve_sizing import this_machine

    home, built = bench_archive.open_archive(home, works, seed)
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-load-"))
    (workdir / "plan.json").write_text(json.dumps(plan(built)))
    from django.db import connections

    database = connections["default"].vendor
    connections.close_all()
    sizing = this_machine()
    workers, threads = server_workers or sizing.workers, server_threads or sizing.threads
    port = server.free_port()
    process = server.start(port, workers, threads)
    seconds = max(1, round(minutes * 60))
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"]
    command += ["-u", str(users), "-r", str(max(1, users // 10)), "-t", f"{seconds}s"]
    command += ["--host", f"http://127.0.0.1:{port}", "--csv", str(workdir / "load"), "--stop-timeout", "10"]
    environment = os.environ | {
        "FANARCHIVE_LOAD_PLAN": str(workdir / "plan.json"),
        "FANARCHIVE_LOAD_RATE_LIMITED": str(workdir / "rate_limited.json"),
    }
    try:
        before = server.page_cache_counts(port)
        done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=seconds + 180)
        after = server.page_cache_counts(port)
    finally:
        server.stop(process)
    stats = workdir / "load_stats.csv"
    if not stats.exists():
        raise RuntimeError(f"locust wrote no figures: {done.stderr[-2000:]}")
    figures = _aggregated(stats)
    limited = workdir / "rate_limited.json"
    return {
        "bench": "load",
        "works": built.works,
        "home": str(home),
        "database": database,
        "server": {"workers": workers, "threads": threads},
        "users": users,
        "seconds": seconds,
        "load_average_at_end": os.getloadavg(),
        "machine": machine(),
        **figures,
        # Every kudos or comment replaces the page version: the whole page cache starts again.
        "page_cache_hits": after.get("hit", 0.0) - before.get("hit", 0.0),
        "page_cache_misses": after.get("miss", 0.0) - before.get("miss", 0.0),
        "failures": _failures(workdir / "load_failures.csv"),
        "rate_limited_writes": json.loads(limited.read_text()) if limited.exists() else {},
        "targets": {"errors": 0, "p95_ms": 300, "p99_ms": 1000},
        "within_targets": figures["errors"] == 0 and figures["p95_ms"] <= 300 and figures["p99_ms"] <= 1000,
    }
