"""The page cache across processes: `fanarchive serve` with two workers keeps a work's page, and
`fanarchive import` run beside it (another process, as the task worker or another node would be)
changes the work; the next read, on either worker, is the new page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support.served import archive_env, fetch, start_serve

pytestmark = pytest.mark.slow

STORY = "---\ntitle: Harbour Lights\nauthor: Ferris Lane\n---\n\n## Chapter 1: One\n\n{text}\n"


def _import(home: Path, sources: Path, text: str) -> None:
    (sources / "harbour.md").write_text(STORY.format(text=text))
    command = [sys.executable, "-m", "fanarchive.cli.main", "import", str(sources)]
    subprocess.run(command, env=archive_env(home), check=True, capture_output=True)


def test_a_change_from_another_process_reaches_every_worker_at_once(tmp_path: Path) -> None:
    home, sources = tmp_path / "home", tmp_path / "sources"
    sources.mkdir()
    _import(home, sources, "The lamp was lit at dusk.")
    served = start_serve(home, workers=2)
    try:
        for _ in range(6):  # every worker has made or served the page by now
            status, _, body = fetch(served.port, "/works/1")
            assert status == 200 and b"lit at dusk" in body
        _import(home, sources, "The lamp burned until the gulls woke.")
        for _ in range(6):
            body = fetch(served.port, "/works/1")[2]
            assert b"until the gulls woke" in body and b"lit at dusk" not in body
    finally:
        served.stop()
