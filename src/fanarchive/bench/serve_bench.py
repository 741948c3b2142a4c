"""`fanarchive bench serve`: pages served by `fanarchive serve` under wrk, side by side with nginx
serving saved copies of the same pages in the same run.

The archive is built once (or taken with --home): CorpusGenerator works with real-sized chapters
stored through the importer, then indexed. The server runs without its indexer and task worker, so
the cores go to pages. For each page wrk runs against the server, then against nginx; the report
gives requests/s, p50/p90/p99 and the server's share of nginx's rate, and, from the server's own
/metrics, how many of the requests the anonymous page cache answered."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fanarchive.bench.load import archive as bench_archive
from fanarchive.bench.load import nginx, server, wrk
from fanarchive.bench.measure import machine

# requests/s the issue asks of each page on 2 cores.
TARGETS = {
    "anonymous_chapter": 2000,
    "works": 1500,
    "fandom": 1500,
    "member_chapter": 500,
    "search": 300,
}


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    member: bool


def pages(built: bench_archive.BenchArchive) -> list[Page]:
    return [
        Page("anonymous_chapter", built.chapter_url, member=False),
        Page("works", "/works", member=False),
        Page("fandom", f"/tags/{quote(built.fandom, safe='')}/works", member=False),
        Page("member_chapter", built.chapter_url, member=True),
        Page("search", f"/works?q={built.search_word}", member=False),
    ]


def _measure(
    page: Page, ports: tuple[int, int], headers: dict[str, str], options: dict[str, Any], script: str
) -> dict[str, Any]:
    server_port, nginx_port = ports
    before = server.page_cache_counts(server_port)
    served = wrk.run(f"http://127.0.0.1:{server_port}{page.path}", script=script, headers=headers, **options)
    after = server.page_cache_counts(server_port)
    static = wrk.run(f"http://127.0.0.1:{nginx_port}/{page.name}.html", script=script, headers={}, **options)
    target = TARGETS[page.name]
    return {
        "path": page.path,
        "logged_in": page.member,
        "server": served,
        "nginx": static,
        "ratio_to_nginx": served["requests_per_s"] / static["requests_per_s"]
        if static["requests_per_s"]
        else None,
        "page_cache_hits": after.get("hit", 0.0) - before.get("hit", 0.0),
        "page_cache_misses": after.get("miss", 0.0) - before.get("miss", 0.0),
        "target_requests_per_s": target,
        "meets_target": served["requests_per_s"] >= target and served["non_2xx_3xx"] == 0,
    }


def run(
    works: int,
    home: Path | None,
    seconds: float,
    connections: int,
    seed: int,
    server_workers: int | None,
    server_threads: int | None,
    only: list[str] | None = None,
) -> dict[str, Any]:
    from fanarchive.cli.serve_sizing import this_machine

    home, built = bench_archive.open_archive(home, works, seed)
    cookie = bench_archive.session_cookie(built.member)
    from django.conf import settings
    from django.db import connections as databases

    database = databases["default"].vendor
    databases.close_all()
    sizing = this_machine()
    workers, threads = server_workers or sizing.workers, server_threads or sizing.threads
    known = pages(built)
    unknown = sorted(set(only or ()) - {page.name for page in known})
    if unknown:
        names = ", ".join(page.name for page in known)
        raise ValueError(f"no such page: {', '.join(unknown)} (the pages: {names})")
    chosen = [page for page in known if not only or page.name in only]
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-serve-nginx-"))
    script = workdir / "report.lua"
    script.write_text(wrk.REPORT_SCRIPT)
    server_port = server.free_port()
    process = server.start(server_port, workers, threads)
    peer = None
    try:
        saved: dict[str, bytes] = {}
        for page in chosen:
            headers = {"Cookie": cookie} if page.member else {}
            for _warm in range(2):  # the second answer is the one the page cache keeps
                status, body = server.get(server_port, page.path, headers)
            if status != 200:
                raise RuntimeError(f"{page.path} answered {status}")
            saved[f"{page.name}.html"] = body
        peer = nginx.start(workdir, server.free_port(), saved, workers=os.cpu_count() or 1)
        options = {"seconds": seconds, "connections": connections, "threads": 2}
        results = {
            page.name: _measure(
                page,
                (server_port, peer.port),
                {"Cookie": cookie} if page.member else {},
                options,
                str(script),
            )
            for page in chosen
        }
    finally:
        server.stop(process)
        if peer is not None:
            peer.stop()
    return {
        "bench": "serve",
        "works": built.works,
        "home": str(home),
        "database": database,
        "search_backend": settings.SEARCH_BACKEND,
        "server": {"workers": workers, "threads": threads, "worker_class": "gthread (QueueTimedWorker)"},
        "wrk": {"seconds": seconds, "connections": connections, "threads": 2},
        "load_average_at_start": os.getloadavg(),
        "machine": machine(),
        "pages": results,
        # Not met when nothing was measured.
        "all_targets_met": bool(results) and all(result["meets_target"] for result in results.values()),
    }
