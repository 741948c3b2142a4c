"""Metrics and JSON logs of a real `fanarchive serve` with two worker processes: /metrics adds up what
every worker counted, and each request is one JSON line on the server's standard error."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from support.served import fetch, start_serve

pytestmark = pytest.mark.slow

REQUESTS = 40


def _home_page_count(port: int) -> float:
    status, _, body = fetch(port, "/metrics")
    assert status == 200
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            if sample.name == "fanarchive_request_duration_seconds_count" and sample.labels == {
                "view": "home",
                "method": "GET",
                "status": "2xx",
            }:
                return sample.value
    return 0.0


def test_two_workers_metrics_add_up_and_log_json_lines(tmp_path: Path) -> None:
    log = (tmp_path / "stderr.log").open("wb")
    served = start_serve(tmp_path / "home", {"FANARCHIVE_LOG_FORMAT": "json"}, workers=2, stderr=log.fileno())
    try:
        for _ in range(REQUESTS):
            assert fetch(served.port, "/")[0] == 200
        # Each request may land on either worker; the scrape sums both.
        assert _home_page_count(served.port) == REQUESTS
        pids = {
            int(line)
            for line in subprocess.run(
                ["pgrep", "-P", str(served.process.pid)], capture_output=True, text=True
            ).stdout.split()
        }
        assert len(pids) >= 2
    finally:
        served.stop()
        log.close()
    lines = [line for line in (tmp_path / "stderr.log").read_text().splitlines() if line.startswith("{")]
    requests = [json.loads(line) for line in lines if json.loads(line).get("logger") == "fanarchive.requests"]
    home = [entry for entry in requests if entry["path"] == "/"]
    assert len(home) == REQUESTS
    assert all(entry["status"] == 200 and entry["view"] == "home" for entry in home)
    # gunicorn's own access log is off, so a request is one line, not two.
    assert not any('"GET / HTTP' in line for line in (tmp_path / "stderr.log").read_text().splitlines())
