"""`fanarchive backup` and `restore` on SQLite: what the file holds, and every backup a restore
must refuse (not empty, damaged, from a newer fanarchive, another database kind)."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from support.cli import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MIGRATIONS = Path(__file__).resolve().parents[2] / "src" / "fanarchive" / "archive" / "migrations"


@pytest.fixture(scope="module")
def backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("source")
    assert run_cli("import", str(FIXTURES / "plain"), home=home).returncode == 0
    (home / "media").mkdir()
    (home / "media" / "note.txt").write_text("kept")
    path = tmp_path_factory.mktemp("backups") / "archive.tar"
    done = run_cli("backup", str(path), home=home)
    assert done.returncode == 0, done.stderr
    return path


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]


def _rewrite(source: Path, target: Path, **changes: bytes) -> Path:
    with tarfile.open(target, "w") as tar:
        for name, data in (_members(source) | changes).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def test_backup_holds_database_key_media_and_manifest_but_no_index(backup: Path) -> None:
    members = _members(backup)
    assert set(members) == {"manifest.json", "database.sqlite3", "secret_key", "media/note.txt"}
    manifest = json.loads(members["manifest.json"])
    assert manifest["format_version"] == 1
    assert manifest["database"]["kind"] == "sqlite"
    assert manifest["counts"]["works"] == 6
    assert ["archive", "0001_initial"] in manifest["migrations"]
    assert "search/" in manifest["left_out"]


def test_restore_brings_works_back_and_refuses_a_second_time_without_force(
    backup: Path, tmp_path: Path
) -> None:
    done = run_cli("restore", str(backup), home=tmp_path)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "fanarchive.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM archive_work").fetchone() == (6,)
    assert (tmp_path / "media" / "note.txt").read_text() == "kept"
    assert "bell-tower" in run_cli("search", "Mabyn", home=tmp_path).stdout

    again = run_cli("restore", str(backup), home=tmp_path)
    assert again.returncode == 1 and "not empty" in again.stderr
    assert run_cli("restore", str(backup), "--force", home=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("damaged", "does not match its checksum"),
        ("newer-format", "newer than this fanarchive reads"),
        ("newer-schema", "from a newer fanarchive"),
        ("postgresql", "holds a postgresql database"),
        ("not-a-backup", "not a fanarchive backup"),
    ],
)
def test_restore_refuses(backup: Path, tmp_path: Path, change: str, message: str) -> None:
    members = _members(backup)
    manifest = json.loads(members["manifest.json"])
    changes: dict[str, bytes] = {}
    if change == "damaged":
        database = bytearray(members["database.sqlite3"])
        database[5000] ^= 0xFF
        changes["database.sqlite3"] = bytes(database)
    elif change == "newer-format":
        manifest["format_version"] = 99
    elif change == "newer-schema":
        manifest["migrations"].append(["archive", "9999_from_the_future"])
    elif change == "postgresql":
        manifest["database"]["kind"] = "postgresql"
    else:
        manifest["format"] = "something-else"
    changes["manifest.json"] = json.dumps(manifest).encode()
    bad = _rewrite(backup, tmp_path / "bad.tar", **changes)
    done = run_cli("restore", str(bad), home=tmp_path / "home")
    assert done.returncode == 1 and message in done.stderr, done.stderr
    with sqlite3.connect(tmp_path / "home" / "fanarchive.sqlite3") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "archive_work" not in tables  # nothing was loaded


def test_restore_of_a_file_that_is_not_a_tar(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all" * 100)
    done = run_cli("restore", str(junk), home=tmp_path / "home")
    assert done.returncode == 1 and "fanarchive restore:" in done.stderr


def test_restore_of_an_older_backup_migrates_it(tmp_path: Path) -> None:
    source = tmp_path / "source"
    assert run_cli("import", str(FIXTURES / "plain" / "bell-tower.txt"), home=source).returncode == 0
    # The source archive steps back to its first migration, as if made by an older fanarchive.
    older = subprocess.run(
        [
            sys.executable,
            "-c",
            "from fanarchive.cli.setup import setup_django; setup_django();"
            "from django.core.management import call_command; call_command('migrate', 'archive', '0001', verbosity=0)",
        ],
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"FANARCHIVE_HOME": str(source)},
        check=False,
        capture_output=True,
        text=True,
    )
    assert older.returncode == 0, older.stderr
    assert run_cli("backup", str(tmp_path / "old.tar"), home=source).returncode == 0
    done = run_cli("restore", str(tmp_path / "old.tar"), home=tmp_path / "target")
    assert done.returncode == 0, done.stderr
    assert re.search(r"ran [1-9]\d* migrations", done.stdout), done.stdout
    with sqlite3.connect(tmp_path / "target" / "fanarchive.sqlite3") as conn:
        applied = {row[0] for row in conn.execute("SELECT name FROM django_migrations WHERE app = 'archive'")}
    on_disk = {path.stem for path in MIGRATIONS.glob("0*.py")}
    assert len(on_disk) >= 2 and applied == on_disk


def test_backup_of_an_archive_without_a_database_says_so(tmp_path: Path) -> None:
    done = run_cli("backup", str(tmp_path / "backup.tar"), home=tmp_path / "empty")
    assert done.returncode == 1 and "no database yet" in done.stderr
    assert not (tmp_path / "backup.tar").exists()


def test_restore_with_force_replaces_the_search_index_of_the_archive_it_replaces(
    backup: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    extra = tmp_path / "extra.txt"
    extra.write_text("Title: Gullwing Ledger\nAuthor: Someone Else\n\nThe ledger of gulls, counted daily.\n")
    assert run_cli("import", str(extra), home=home).returncode == 0
    assert "Gullwing" in run_cli("search", "ledger", home=home).stdout
    done = run_cli("restore", str(backup), "--force", home=home)
    assert done.returncode == 0 and "indexed 6 works" in done.stdout, done.stdout + done.stderr
    assert "Gullwing" not in run_cli("search", "ledger", home=home).stdout
    assert "bell-tower" in run_cli("search", "Mabyn", home=home).stdout


def test_restore_beside_a_process_holding_the_index_writer_queues_the_reindex(
    backup: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    assert run_cli("import", str(FIXTURES / "plain" / "bell-tower.txt"), home=home).returncode == 0
    # Another process (a `serve` left running) holds the index writer and its open-index lock.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from fanarchive.search.tantivy_backend import TantivyBackend;"
            "b = TantivyBackend(sys.argv[1]); b._writer(); print('held', flush=True); sys.stdin.read()",
            str(home / "search"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        done = run_cli("restore", str(backup), "--force", home=home)
        assert done.returncode == 0, done.stderr
        assert "queued 6 works for the running indexer" in done.stdout, done.stdout
        # The holder's lock file is still the one on disk: nothing deleted the index under it.
        assert (home / "search" / ".fanarchive.holders").exists()
    finally:
        holder.kill()
        holder.wait()
