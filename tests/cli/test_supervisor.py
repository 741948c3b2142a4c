"""The supervisor of `fanarchive serve`'s helpers, with real processes: a helper that keeps dying is
restarted after waits that double up to the cap, each restart logged; a helper outlives neither a
kill -9 of its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from fanarchive.cli.supervisor import Supervisor


def test_a_dying_helper_is_restarted_with_doubling_waits_up_to_the_cap() -> None:
    lines: list[str] = []
    supervisor = Supervisor(
        {"indexer": [sys.executable, "-c", "raise SystemExit(3)"]},
        first_delay=0.1,
        max_delay=0.4,
        poll=0.02,
        log=lines.append,
    )
    supervisor.start()
    deadline = time.monotonic() + 30
    while sum("restarting in" in line for line in lines) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    supervisor.stop()
    waits = [line.rsplit("restarting in ", 1)[1] for line in lines if "restarting in" in line][:5]
    assert waits == ["0.1 s", "0.2 s", "0.4 s", "0.4 s", "0.4 s"]
    assert "the indexer exited with status 3" in lines[0]
    assert any(line == "fanarchive serve: restarting the indexer" for line in lines)


def test_a_helper_dies_with_its_parent_killed_by_sigkill(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from fanarchive.cli.supervisor import start_child; "
            "child = start_child([sys.executable, '-c', 'import time; time.sleep(120)']); "
            f"open({str(pid_file)!r}, 'w').write(str(child.pid)); time.sleep(120)",
        ]
    )
    deadline = time.monotonic() + 20
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(pid_file.read_text())
    assert Path(f"/proc/{child}").exists()
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
