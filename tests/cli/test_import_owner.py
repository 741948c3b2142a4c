"""`fanarchive import --owner USER` and `--as-archivist`, run as a user runs them: whose works the
import makes them, what an unknown account does, and the eFiction authors' addresses kept for claims."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from support.cli import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

CREDITS = (
    "SELECT w.title, u.username, p.name, u.imported FROM archive_work w "
    "JOIN archive_creatorship c ON c.work_id = w.id JOIN archive_pseud p ON p.id = c.pseud_id "
    "JOIN archive_user u ON u.id = p.user_id ORDER BY w.title, c.position"
)


def _query(home: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(home / "fanarchive.sqlite3") as connection:
        return connection.execute(sql).fetchall()


def _make_member(home: Path, username: str) -> None:
    """An account made in the archive as sign-up would make it (the test's own process, not the CLI's)."""
    script = (
        "from fanarchive.cli.setup import setup_django; setup_django(migrate=True); "
        "from fanarchive.archive.models import User; "
        f"User.objects.create_user({username!r}, password='x')"
    )
    env = {"FANARCHIVE_HOME": str(home), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, capture_output=True)


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "ao3-html" / "one-shot.html", inbox)
    shutil.copy(FIXTURES / "plain" / "bell-tower.txt", inbox)
    return inbox


def test_owner_puts_every_work_into_the_account(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _make_member(home, "ada")
    inbox = _inbox(tmp_path)

    result = run_cli("import", "--owner", "ada", str(inbox), home=home)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "imported 2, updated 0, unchanged 0, failed 0"
    credits = _query(home, CREDITS)
    assert [(username, pseud, imported) for _title, username, pseud, imported in credits] == [
        ("ada", "ada", 0),
        ("ada", "ada", 0),
    ]
    # Nobody else got an account from the bylines.
    assert _query(home, "SELECT username FROM archive_user") == [("ada",)]
    bylines = _query(home, "SELECT json_extract(source_extra, '$.byline') FROM archive_work ORDER BY title")
    assert all(byline is not None for (byline,) in bylines)

    # Imported again as an archivist: the works stay in ada's account.
    again = run_cli("import", "--as-archivist", str(inbox), home=home)
    assert again.returncode == 0, again.stderr
    assert _query(home, CREDITS) == credits


def test_an_unknown_owner_imports_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _make_member(home, "ada")

    result = run_cli("import", "--owner", "nobody-here", str(_inbox(tmp_path)), home=home)

    assert result.returncode == 2
    assert "no account named 'nobody-here'" in result.stderr
    assert _query(home, "SELECT COUNT(*) FROM archive_work") == [(0,)]


def test_owner_and_as_archivist_exclude_each_other(tmp_path: Path) -> None:
    result = run_cli("import", "--owner", "ada", "--as-archivist", str(tmp_path), home=tmp_path / "home")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_as_archivist_credits_imported_accounts_with_the_source_addresses(tmp_path: Path) -> None:
    home = tmp_path / "home"
    archive = tmp_path / "archive"
    shutil.copytree(FIXTURES / "efiction" / "archive", archive)

    result = run_cli("import", "--as-archivist", str(archive / "backup.sql"), home=home)

    assert result.returncode == 0, result.stderr
    users = _query(
        home, "SELECT username, source_email, imported, password FROM archive_user ORDER BY username"
    )
    assert [(name, email, imported) for name, email, imported, _password in users] == [
        ("Juniper_Hale", "juniper@example.org", 1),
        ("Marisol_Vane", "marisol@example.org", 1),
        ("Tobiah_Reed", "tobiah@example.org", 1),
        ("quillfeather", "quill@example.org", 1),
    ]
    # Nobody can log into an imported account (Django's unusable password starts with "!").
    assert all(str(password).startswith("!") for *_rest, password in users)
    stored = _query(home, "SELECT source_extra FROM archive_work")
    assert stored and not any("@example.org" in str(extra) for (extra,) in stored)


def test_help_describes_both(tmp_path: Path) -> None:
    result = run_cli("import", "--help", home=tmp_path / "home")
    assert "--owner USER" in result.stdout and "--as-archivist" in result.stdout
    assert "claims" in result.stdout
