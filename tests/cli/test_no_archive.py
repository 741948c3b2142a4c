"""Commands that only read refuse a folder holding no archive, and create nothing there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import run_cli

READING = [("search", "harbour"), ("export", "1", "--format", "epub", "-o", "out.epub"), ("reindex",)]


def _run_here(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "FANARCHIVE_HOME"}}
    return subprocess.run(
        [sys.executable, "-m", "fanarchive.cli.main", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("args", READING, ids=[a[0] for a in READING])
def test_a_reading_command_in_an_empty_folder_refuses_and_creates_nothing(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    done = _run_here(tmp_path, *args)
    assert done.returncode != 0
    assert "no archive in" in done.stderr and "FANARCHIVE_HOME" in done.stderr
    assert "export FANARCHIVE_HOME=" in done.stderr
    assert "works" not in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_a_reading_command_refuses_a_home_that_does_not_exist(tmp_path: Path) -> None:
    home = tmp_path / "nowhere"
    done = run_cli("search", "harbour", home=home)
    assert done.returncode != 0 and f"no archive in {home}" in done.stderr
    assert not home.exists()


def test_a_home_left_empty_by_an_older_version_is_refused_too(tmp_path: Path) -> None:
    home = tmp_path / "fanarchive-data"
    home.mkdir()
    (home / "fanarchive.sqlite3").touch()
    done = _run_here(tmp_path, "search", "harbour")
    assert done.returncode != 0 and "FANARCHIVE_HOME is not set" in done.stderr


def test_import_still_creates_the_archive_and_search_then_reads_it(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Harbour Lights\n\nThe lamp was lit at dusk over the harbour.\n")
    home = tmp_path / "home"
    assert run_cli("import", str(story), home=home).returncode == 0
    done = run_cli("search", "harbour", home=home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1 work\n")
