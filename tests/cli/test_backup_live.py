"""`fanarchive backup` while four processes import works: one backup killed with kill -9 halfway
leaves nothing under its name, one that completes restores into a fresh archive with every work
committed before it started, chapter text identical. On SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

WRITERS = 4
# Each writer generates works and imports them one file at a time, for as long as it runs.
WRITER_SCRIPT = """
import random, subprocess, sys
from pathlib import Path
folder, name = Path(sys.argv[1]), sys.argv[2]
rng = random.Random(name)
words = "lantern harbour ledger orchard kettle bell tower salt iron parcel meridian quiet".split()
for round in range(10_000):
    path = folder / f"{name}-{round}.txt"
    chapters = ["\\n\\n".join(" ".join(rng.choices(words, k=40)).capitalize() + "." for _ in range(3))
                for _ in range(rng.randint(1, 3))]
    path.write_text(f"{name} {round}\\n\\n" + "\\n\\n* * *\\n\\n".join(chapters) + "\\n")
    subprocess.run([sys.executable, "-m", "fanarchive.cli.main", "import", str(path)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
"""


def _server_url() -> str:
    return (
        os.environ.get("FANARCHIVE_TEST_DATABASE_URL")
        or "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
    )


def _database_url(name: str) -> str:
    parts = urlsplit(_server_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(params=["sqlite", "postgresql"])
def archives(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, dict[str, str]]]:
    """Environment for the source archive and for the empty one the backup is restored into."""
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FANARCHIVE_SEARCH_BACKEND")}
    source = base | {"FANARCHIVE_HOME": str(tmp_path / "source")}
    target = base | {"FANARCHIVE_HOME": str(tmp_path / "target")}
    if request.param == "sqlite":
        yield {"source": source, "target": target}
        return
    import psycopg

    try:
        admin = psycopg.connect(_database_url("postgres"), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server answers at {_server_url()} ({error}); CI runs this test")
    names = ("fa_backup_src", "fa_backup_dst")
    with admin:
        for name in names:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
        try:
            yield {
                "source": source | {"DATABASE_URL": _database_url(names[0])},
                "target": target | {"DATABASE_URL": _database_url(names[1])},
            }
        finally:
            for name in names:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _chapters(env: dict[str, str]) -> dict[tuple[str, int], str]:
    """Every stored chapter's text by (work title, chapter position), read straight from the database."""
    query = (
        "SELECT w.title, c.position, c.body FROM archive_work w JOIN archive_chapter c ON c.work_id = w.id"
    )
    rows: list[Any]
    if "DATABASE_URL" in env:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            rows = conn.execute(query).fetchall()
    else:
        with sqlite3.connect(Path(env["FANARCHIVE_HOME"]) / "fanarchive.sqlite3", timeout=60) as conn:
            rows = conn.execute(query).fetchall()
    return {(title, position): body for title, position, body in rows}


def _cli(env: dict[str, str], *args: str, **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "fanarchive.cli.main", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _finish(process: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out + err


@pytest.mark.slow
def test_backup_while_importing_restores_every_committed_work(
    archives: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    source, target = archives["source"], archives["target"]
    home = Path(source["FANARCHIVE_HOME"])
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "plain"
    # Migrate and seed before the writers start, so they never race to create the tables.
    assert _finish(_cli(source, "import", str(fixtures)))[0] == 0
    # A megabyte of media that must come back byte for byte (and makes the paced backup last).
    media = home / "media" / "covers" / "cover.bin"
    media.parent.mkdir(parents=True)
    media.write_bytes(random.Random(7).randbytes(1 << 20))

    incoming = tmp_path / "incoming"
    incoming.mkdir()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER_SCRIPT, str(incoming), f"writer{n}"],
            env=source,
            start_new_session=True,
        )
        for n in range(WRITERS)
    ]
    backups = tmp_path / "backups"
    try:
        deadline = time.monotonic() + 120
        while len(_chapters(source)) < 40 and time.monotonic() < deadline:
            time.sleep(0.5)

        # The first backup is paced to ~256 KB/s, so it is surely mid-write when killed.
        killed_target = backups / "killed.tar"
        killed = _cli(source, "backup", str(killed_target), "--bwlimit", "256")
        deadline = time.monotonic() + 120
        while not list(backups.glob(".killed.tar.*.partial")) and time.monotonic() < deadline:
            assert killed.poll() is None, killed.communicate()
            time.sleep(0.05)
        time.sleep(1)
        assert killed.poll() is None, "the paced backup finished before it could be killed"
        killed.send_signal(signal.SIGKILL)
        killed.communicate()
        partials = list(backups.glob(".killed.tar.*.partial"))
        assert partials and partials[0].stat().st_size > 0

        committed = _chapters(source)
        complete_target = backups / "complete.tar"
        code, output = _finish(_cli(source, "backup", str(complete_target)))
        assert code == 0, output
        print(output)
        time.sleep(2)  # writers keep committing after the backup
    finally:
        for writer in writers:
            os.killpg(writer.pid, signal.SIGTERM)
        for writer in writers:
            writer.wait(timeout=60)

    assert not killed_target.exists()
    assert len(_chapters(source)) > len(committed), "the writers committed nothing while the backups ran"

    code, output = _finish(_cli(target, "restore", str(complete_target)))
    assert code == 0, output
    restored = _chapters(target)
    missing = {key for key in committed if restored.get(key) != committed[key]}
    assert not missing, f"{len(missing)} chapters committed before the backup are missing or differ"
    assert (
        Path(target["FANARCHIVE_HOME"]) / "media" / "covers" / "cover.bin"
    ).read_bytes() == media.read_bytes()
    assert (Path(target["FANARCHIVE_HOME"]) / "secret_key").read_text() == (home / "secret_key").read_text()
    # The index was rebuilt from the restored database: a seeded work is found by its words.
    code, output = _finish(_cli(target, "search", "Mabyn"))
    assert code == 0 and "bell-tower" in output, output
