"""Running Debian's epubcheck on EPUBs we wrote. It checks one file per JVM, and a JVM takes a few
seconds to start, so callers gather their books and check them together, two at a time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

EPUBCHECK_JAR = Path("/usr/bin/epubcheck")


def require_epubcheck() -> None:
    if EPUBCHECK_JAR.exists() and shutil.which("java"):
        return
    # scripts/test.sh installs it; only a bare checkout elsewhere may lack it.
    if os.environ.get("CI"):
        pytest.fail("epubcheck is not installed (scripts/test.sh installs it)")
    pytest.skip("epubcheck is not installed: apt-get install epubcheck")


def _check(path: Path) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            ["java", "-jar", str(EPUBCHECK_JAR), str(path), "--json", str(report), "-q"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if not report.exists():
            return [f"FATAL epubcheck wrote no report for {path.name}"]
        data = json.loads(report.read_text())
    problems = []
    for message in data.get("messages", []):
        if message["severity"] not in ("FATAL", "ERROR", "WARNING"):
            continue
        where = message.get("locations") or [{}]
        place = f"{where[0].get('path', '')}:{where[0].get('line', '')}"
        problems.append(f"{message['severity']} {message['ID']} {place} {message['message']}")
    counts = data["checker"]
    if not problems and counts["nFatal"] + counts["nError"] + counts["nWarning"]:
        problems.append(f"counts without messages: {counts}")
    return problems


def epubcheck(paths: list[Path]) -> dict[str, list[str]]:
    """Every fatal error, error and warning (usage notes are not reported) of each book, by name;
    an empty list is a clean book."""
    require_epubcheck()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_check, paths))
    return {path.name: result for path, result in zip(paths, results, strict=True)}
