"""Run `wrk` against one URL and read its figures as JSON: a Lua `done` hook prints requests/s,
latency percentiles and error counts, rather than parsing wrk's human summary."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

# wrk calls done() once with the merged figures of all its threads; latency is in microseconds.
REPORT_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write("WRK_JSON ", string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, '
    .. '"timeouts": %d}',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, errors.connect, errors.read, errors.write, errors.status,
    errors.timeout), "\\n")
end
"""


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def run(
    url: str, seconds: float, connections: int, threads: int, script: str, headers: dict[str, str]
) -> dict[str, Any]:
    """Figures of one wrk run: requests/s, p50/p90/p99 in ms, errors (non-2xx/3xx answers count)."""
    binary = wrk_binary()
    if binary is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    command = [
        binary,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        script,
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60)
    line = next((row for row in done.stdout.splitlines() if row.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed on {url}: {done.stderr.strip() or done.stdout.strip()}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    duration = raw["duration_us"] / 1e6
    errors = sum(raw[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    return {
        "requests_per_s": raw["requests"] / duration if duration else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "requests": raw["requests"],
        "non_2xx_3xx": raw["status_errors"],
        "socket_errors": errors,
    }
