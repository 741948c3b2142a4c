from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from fanarchive.domain.work import ParsedChapter, ParsedWork, Source, works_to_json
from support.cli import run_cli as _cli


def test_help_lists_every_subcommand(tmp_path: Path) -> None:
    result = _cli("--help", home=tmp_path)
    assert result.returncode == 0
    for name in ("serve", "import", "parse", "export", "search", "reindex", "bench"):
        assert name in result.stdout
        assert _cli(name, "--help", home=tmp_path).returncode == 0


def _work_json(title: str, source_id: str, chapters: int = 2) -> str:
    work = ParsedWork(
        title=title,
        authors=["quietharbour"],
        chapters=[
            ParsedChapter(number=n, html=f"<p>Part {n} of {title}.</p>") for n in range(1, chapters + 1)
        ],
        source=Source(format="work-json", id=source_id),
    )
    return works_to_json([work])


def test_parse_prints_work_json(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(_work_json("Driftwood", "d1"))
    result = _cli("parse", str(path), "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["works"][0]["title"] == "Driftwood"
    assert [c["words"] for c in data["works"][0]["chapters"]] == [4, 4]


def test_import_reports_each_bad_file_and_keeps_going(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.json").write_text(_work_json("Driftwood", "d1"))
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "garbage.bin").write_bytes(bytes(range(256)) * 8)
    (inbox / "broken.json").write_text('{"works": [{"no title": 1}]}')
    good_zip = inbox / "bundle.zip"
    with zipfile.ZipFile(good_zip, "w") as archive:
        archive.writestr("inside/second.json", _work_json("Sea Glass", "s1"))
    (inbox / "truncated.zip").write_bytes(good_zip.read_bytes()[:40])
    home = tmp_path / "home"
    result = _cli("import", str(inbox), home=home)
    assert result.returncode == 1
    assert "imported 2, updated 0, unchanged 0, failed 4" in result.stdout
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failures) == 4
    assert any("empty.txt: empty file" in line for line in failures)
    assert any("garbage.bin" in line for line in failures)
    assert any("broken.json" in line and "work 1 is malformed" in line for line in failures)
    assert any("truncated.zip" in line and "zip" in line for line in failures)

    again = _cli("import", str(inbox / "good.json"), str(good_zip), home=home)
    assert again.returncode == 0
    assert "imported 0, updated 0, unchanged 2, failed 0" in again.stdout

    (inbox / "good.json").write_text(_work_json("Driftwood", "d1", chapters=3))
    updated = _cli("import", str(inbox / "good.json"), home=home)
    assert "imported 0, updated 1, unchanged 0, failed 0" in updated.stdout


def test_import_refuses_files_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as out:
        out.truncate(3 * 1024 * 1024)
    result = _cli("import", str(big), "--max-size", "2", home=tmp_path / "home")
    assert result.returncode == 1
    assert f"failed: {big}: too large: 3 MB is over the 2 MB limit" in result.stderr


def test_search_and_reindex_from_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = tmp_path / "works.json"
    path.write_text(_work_json("Driftwood", "d1", chapters=3))
    assert _cli("import", str(path), home=home).returncode == 0
    reindexed = _cli("reindex", home=home)
    assert reindexed.returncode == 0 and "indexed 1 work" in reindexed.stdout
    found = _cli("search", '"Part 3 of Driftwood"', "--json", home=home)
    assert found.returncode == 0, found.stderr
    data = json.loads(found.stdout)
    assert data["total"] == 1 and data["works"][0]["title"] == "Driftwood"
    assert data["works"][0]["snippet"]["chapter"] == 3
    assert "<mark>" in data["works"][0]["snippet"]["html"]
    missing = _cli("search", "--tag", "No Such Tag", home=home)
    assert missing.returncode == 2 and "no tag named 'No Such Tag'" in missing.stderr


def test_imported_works_are_searchable_at_once_and_a_busy_index_is_said_plainly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(_work_json("Driftwood", "d1", chapters=1))
    second.write_text(_work_json("Flotsam", "f1", chapters=1))
    assert _cli("import", str(first), home=home).returncode == 0
    # No indexer ran: the import itself made the work searchable.
    assert json.loads(_cli("search", "Driftwood", "--json", home=home).stdout)["total"] == 1

    # A change for the indexer to apply: once it has written, it keeps the index's one writer, as
    # the indexer of `fanarchive serve` does.
    database = sqlite3.connect(home / "fanarchive.sqlite3")
    with database:
        database.execute(
            "INSERT INTO archive_searchoutbox (work_id, created_at) SELECT id, CURRENT_TIMESTAMP FROM archive_work"
        )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"FANARCHIVE_HOME": str(home)}
    indexer = subprocess.Popen(
        [sys.executable, "-m", "fanarchive.cli.main", "indexer", "--interval", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while database.execute("SELECT count(*) FROM archive_searchoutbox").fetchone() != (0,):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        imported = _cli("import", str(second), home=home)
        assert imported.returncode == 0
        if "the running indexer will make these works searchable" not in imported.stderr:
            # The indexer may drain the import's outbox row before the import itself looks: then
            # there is nothing left for the import to index, and the work is searchable already.
            found = json.loads(_cli("search", "Flotsam", "--json", home=home).stdout)["total"]
            assert found == 1, imported.stderr
        busy = _cli("reindex", home=home)
        assert busy.returncode == 1 and "stop it first, or run `fanarchive reindex --queue`" in busy.stderr
        assert "Traceback" not in busy.stderr
        queued = _cli("reindex", "--queue", home=home)
        assert queued.returncode == 0 and "queued 2 works for the indexer" in queued.stdout
        total = 0
        while total < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
            total = json.loads(_cli("search", "Driftwood OR Flotsam", "--json", home=home).stdout)["total"]
        assert total == 2
    finally:
        indexer.terminate()
        indexer.wait(timeout=30)
        database.close()


def test_the_default_database_is_a_sqlite_file_in_wal_mode(tmp_path: Path) -> None:
    import sqlite3

    home = tmp_path / "home"
    path = tmp_path / "one.json"
    path.write_text(_work_json("Driftwood", "d1"))
    assert _cli("import", str(path), home=home).returncode == 0
    database = home / "fanarchive.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT title FROM archive_work").fetchall() == [("Driftwood",)]
    assert (home / "secret_key").stat().st_mode & 0o777 == 0o600


def test_settings_take_immediate_transactions_and_a_postgres_url(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; o = s.DATABASES['default'];"
        "print(o['ENGINE'], o.get('OPTIONS', {}).get('transaction_mode'), o.get('NAME'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"FANARCHIVE_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "fanarchive.settings"}
    sqlite = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert sqlite.stdout.split()[:2] == ["django.db.backends.sqlite3", "IMMEDIATE"]
    env["DATABASE_URL"] = "postgresql://reader:secret@db.example:5433/archive"
    postgres = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert postgres.stdout.split() == ["django.db.backends.postgresql", "None", "archive"]
