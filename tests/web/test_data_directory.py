"""The data directory and its secrets, checked on real processes starting from a fresh directory:
0700 directory, 0600 key and databases (with their -wal and -shm), and one key per install even when
several processes start at once."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

# Each process starts Django on the fresh home, writes to the database with its connection still
# open (so the -wal and -shm files exist), and reports its key and what it sees on disk.
CHILD = """
import json, os, sys, time, django
from pathlib import Path
from fanarchive import datadir
while not os.path.exists(sys.argv[1]):  # start together: wait for the parent's signal
    time.sleep(0.0005)
# What settings.py does first, here without Django's imports in between, so the processes race.
first = datadir.secret_key(datadir.make_home(Path(os.environ["FANARCHIVE_HOME"])))
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")
    cursor.execute("INSERT INTO probe VALUES (1)")
home = settings.HOME
modes = {p.name: oct(p.stat().st_mode & 0o777) for p in home.iterdir() if p.is_file()}
assert first == settings.SECRET_KEY
print(json.dumps({"key": settings.SECRET_KEY, "home": oct(home.stat().st_mode & 0o777), "modes": modes}))
"""


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FANARCHIVE_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    return {**env, "FANARCHIVE_HOME": str(home), "DJANGO_SETTINGS_MODULE": "fanarchive.settings"}


def _start(home: Path, count: int) -> list[dict[str, object]]:
    go = home.parent / f"go-{home.name}"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(go)],
            env=_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    go.parent.mkdir(parents=True, exist_ok=True)
    time.sleep(0.5)  # let every child reach its wait
    go.touch()
    reports = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        reports.append(json.loads(out))
    return reports


def test_processes_starting_together_share_one_private_key_and_private_files(tmp_path: Path) -> None:
    home = tmp_path / "deep" / "home"
    reports = _start(home, 6)
    keys = {str(report["key"]) for report in reports}
    assert len(keys) == 1
    key = keys.pop()
    assert len(key) >= 50 and (home / "secret_key").read_text() == key
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert all(report["home"] == "0o700" for report in reports)
    for report in reports:
        modes = report["modes"]
        assert isinstance(modes, dict)
        assert {
            "secret_key",
            "fanarchive.sqlite3",
            "fanarchive.sqlite3-wal",
            "fanarchive.sqlite3-shm",
        } <= set(modes)
        assert {name: mode for name, mode in modes.items() if mode != "0o600"} == {}
    # No temporary key file is left behind by the processes that lost the race.
    assert sorted(p.name for p in home.iterdir() if "secret" in p.name) == ["secret_key"]
    # The key survives a restart.
    assert _start(home, 1)[0]["key"] == key


def test_each_install_gets_its_own_key(tmp_path: Path) -> None:
    first = _start(tmp_path / "one", 1)[0]["key"]
    second = _start(tmp_path / "two", 1)[0]["key"]
    assert first != second


def test_an_existing_database_is_made_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    (home / "fanarchive.sqlite3").touch(mode=0o644)
    (home / "fanarchive.sqlite3").chmod(0o644)
    report = _start(home, 1)[0]
    modes = report["modes"]
    assert isinstance(modes, dict) and modes["fanarchive.sqlite3"] == "0o600"
    # A directory the owner made is left as they made it.
    assert stat.S_IMODE(home.stat().st_mode) == 0o755
