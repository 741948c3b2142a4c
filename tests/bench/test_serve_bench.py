"""`fanarchive bench serve` at a tiny size: it builds an archive, serves it, measures each page with
wrk against nginx serving the same bytes, and reports figures that hang together (no timings are
asserted: those belong in the docs, measured on a quiet machine)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fanarchive.bench.load.nginx import nginx_binary
from support.served import archive_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("wrk") is None or nginx_binary() is None,
        reason="wrk and nginx are needed (Debian: apt-get install wrk nginx-light)",
    ),
]


def test_bench_serve_measures_every_page_against_nginx(tmp_path: Path) -> None:
    out = tmp_path / "serve.json"
    command = [sys.executable, "-m", "fanarchive.cli.main", "bench", "serve", "--works", "6"]
    command += ["--seconds", "1", "--connections", "4", "--workers", "1", "--threads", "2"]
    command += ["--home", str(tmp_path / "home"), "--out", str(out)]
    subprocess.run(command, env=archive_env(tmp_path / "home"), check=True, timeout=300)
    report = json.loads(out.read_text())
    assert report["works"] == 6 and report["database"] == "sqlite"
    assert set(report["pages"]) == {"anonymous_chapter", "works", "fandom", "member_chapter", "search"}
    for name, page in report["pages"].items():
        assert page["server"]["requests"] > 0 and page["nginx"]["requests"] > 0, name
        assert page["nginx"]["non_2xx_3xx"] == 0, name
        assert page["ratio_to_nginx"] == pytest.approx(
            page["server"]["requests_per_s"] / page["nginx"]["requests_per_s"]
        )
    # Anonymous pages come from the page cache; a logged-in reader's never do.
    assert report["pages"]["fandom"]["page_cache_hits"] > 0
    assert report["pages"]["member_chapter"]["page_cache_hits"] == 0


def test_bench_load_runs_the_mix_and_reports_its_errors_and_tail(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    command = [sys.executable, "-m", "fanarchive.cli.main", "bench", "load", "--works", "6", "--users", "6"]
    command += ["--minutes", "0.25", "--workers", "1", "--threads", "4", "--home", str(tmp_path / "home")]
    subprocess.run([*command, "--out", str(out)], env=archive_env(tmp_path / "home"), check=True, timeout=300)
    report = json.loads(out.read_text())
    assert report["requests"] > 0 and report["users"] == 6
    assert report["p50_ms"] <= report["p95_ms"] <= report["p99_ms"]
    # Readers and writers both ran: chapters, listings and the rest, each named in the figures.
    assert "/works/[id]/chapters/[n]" in report["by_request"]
    assert report["errors"] == sum(failure["count"] for failure in report["failures"])
    # Guests' pages went through the page cache, read from the server's own /metrics.
    assert report["page_cache_hits"] + report["page_cache_misses"] > 0
    assert report["within_targets"] == (
        report["errors"] == 0 and report["p95_ms"] <= 300 and report["p99_ms"] <= 1000
    )
