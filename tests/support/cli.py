"""The `fanarchive` command run as a user runs it: a subprocess with its own archive."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, home: Path, path: str | None = None) -> subprocess.CompletedProcess[str]:
    """Runs in its own SQLite archive under `home`, never the test database or a developer's data;
    `path` replaces PATH (to hide or offer programs such as calibre's ebook-convert)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"FANARCHIVE_HOME": str(home)}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "fanarchive.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
