"""Issue 12: a hostile corpus (every case in "Limits on untrusted input") among 300 good files.
Every good file is imported and searchable, every hostile file is refused with its reason within
the worker's 10 s and 512 MB, the run ends with a summary, a JSON report and exit status 1; and a
served archive keeps answering while that import runs beside it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from tests.cli.test_serve_processes import _health, served  # noqa: F401 (served is a fixture)

from support import hostile_files
from support.cli import run_cli

GOOD = 300
# Read safely rather than refused: entities are never expanded, lone surrogates are replaced.
HARMLESS = {"entities.epub", "surrogates.json"}


def _corpus(root: Path) -> tuple[Path, dict[str, str], list[str]]:
    inbox = root / "inbox"
    cases = hostile_files.write_hostile(inbox / "hostile")
    titles = hostile_files.write_good(inbox / "good", GOOD)
    return inbox, cases, titles


def _import(inbox: Path, home: Path, report: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "FANARCHIVE_HOME": str(home),
        "FANARCHIVE_IMPORT_TIMEOUT": "10",
        "FANARCHIVE_IMPORT_MEMORY_MB": "512",
    }
    return subprocess.run(
        [sys.executable, "-m", "fanarchive.cli.main", "import", str(inbox), "--report", str(report)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )


def _check_outcomes(result: subprocess.CompletedProcess[str], report: Path, cases: dict[str, str]) -> None:
    assert result.returncode == 1, result.stderr[-2000:]
    outcomes = json.loads(report.read_text())["outcomes"]
    by_name = {Path(o["file"].split(":")[0]).name: o for o in outcomes if "/hostile/" in o["file"]}
    assert set(by_name) == set(cases)
    for name, outcome in by_name.items():
        if name in HARMLESS:
            continue
        assert outcome["status"] == "failed", f"{name} ({cases[name]}) was not refused: {outcome}"
        assert outcome["reason"], name
        # One line beside its name on stderr, as the user sees it.
        assert any(line.startswith("failed: ") and name in line for line in result.stderr.splitlines())
    good = [o for o in outcomes if "/good/" in o["file"]]
    assert len(good) == GOOD
    assert {o["status"] for o in good} == {"imported"}


@pytest.mark.slow
def test_hostile_files_are_refused_and_every_good_file_is_imported_and_searchable(tmp_path: Path) -> None:
    inbox, cases, titles = _corpus(tmp_path)
    home = tmp_path / "home"
    report = tmp_path / "report.json"
    result = _import(inbox, home, report)
    _check_outcomes(result, report, cases)
    summary = result.stdout.splitlines()[-1]
    refused = sum(1 for name in cases if name not in HARMLESS)
    assert summary.startswith(f"imported {GOOD + len(HARMLESS)}, updated 0, unchanged 0, failed ")
    assert int(summary.rsplit(" ", 1)[1]) >= refused
    with sqlite3.connect(home / "fanarchive.sqlite3") as connection:
        stored = {row[0] for row in connection.execute("SELECT title FROM archive_work")}
    assert set(titles) <= stored
    # The import indexed what it stored: a word only one good work has finds that work.
    for n in (0, 1, 2, 150, GOOD - 1):
        found = run_cli("search", f"quillon{n:04d}", home=home)
        assert found.returncode == 0, found.stderr
        assert titles[n] in found.stdout


@pytest.mark.slow
def test_serve_keeps_answering_while_the_hostile_corpus_is_imported(
    served: tuple[Path, int, subprocess.Popen[bytes]],  # noqa: F811
    tmp_path: Path,
) -> None:
    home, port, server = served
    inbox, cases, _titles = _corpus(tmp_path / "corpus")
    report = tmp_path / "report.json"
    answers: list[int] = []
    results: list[subprocess.CompletedProcess[str]] = []
    importer = threading.Thread(target=lambda: results.append(_import(inbox, home, report)))
    importer.start()
    while importer.is_alive():
        answers.append(_health(port)[0])
        importer.join(timeout=0.2)
    assert server.poll() is None
    assert answers and set(answers) == {200}
    assert _health(port)[0] == 200
    _check_outcomes(results[0], report, cases)
