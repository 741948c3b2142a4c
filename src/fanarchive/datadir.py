"""The data directory and the private files in it: created before Django starts (settings.py calls
these), so nothing here imports Django.

The directory is 0700 when we create it, and the files that hold secrets (the signing key, the
SQLite databases) are 0600, so another account on the machine reads none of it."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


# Set by commands that only read (search, export, reindex) before Django starts: settings then
# refuse a folder holding no archive instead of creating an empty one there.
read_only = False
DEFAULT_HOME = "fanarchive-data"


class NoArchive(Exception):
    pass


def holds_archive(path: Path) -> bool:
    """A folder an archive lives in: its SQLite database has been made (or the database is
    PostgreSQL's, and the folder exists for the key and the index)."""
    if not path.is_dir():
        return False
    if os.environ.get("DATABASE_URL"):
        return True
    database = path / "fanarchive.sqlite3"
    return database.is_file() and database.stat().st_size > 0


def open_home(path: Path) -> Path:
    """The data directory: created when missing, unless this process only reads (`read_only`)."""
    path = path.resolve()
    if read_only and not holds_archive(path):
        where = (
            "set by FANARCHIVE_HOME"
            if "FANARCHIVE_HOME" in os.environ
            else f"FANARCHIVE_HOME is not set, so ./{DEFAULT_HOME} of this folder is used"
        )
        raise NoArchive(
            f"no archive in {path} ({where}). Point FANARCHIVE_HOME at the archive's folder, e.g. "
            f"`export FANARCHIVE_HOME=/path/to/fanarchive-data`, or make one there with "
            f"`fanarchive import FILES` or `fanarchive serve`."
        )
    return make_home(path)


def make_home(path: Path) -> Path:
    """Create the data directory private; one that exists is left as its owner set it."""
    path = path.resolve()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            return path  # another process created it first (and made it private)
        # mkdir's mode passes through the umask; chmod states it exactly.
        path.chmod(PRIVATE_DIR)
    return path


def private_file(path: Path) -> None:
    """Make sure `path` exists and only its owner can read it. SQLite gives a database's -wal and -shm
    files the database file's own mode, so creating the database 0600 keeps them private too."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        if os.fstat(fd).st_mode & 0o777 != PRIVATE_FILE:
            os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def secret_key(home: Path) -> str:
    """The install's signing key: made once, at random, and never replaced.

    The key is written whole to a temporary file and then hard-linked to its name, which fails if
    the name exists: of two processes starting together, the first link wins and the second reads
    the winner's key, so both sign with the same one and no reader ever sees a half-written file."""
    path = home / "secret_key"
    if not path.exists():
        temp = home / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        try:
            with open(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE), "w") as file:
                file.write(secrets.token_urlsafe(50))
                file.flush()
                os.fsync(file.fileno())
            # If another process linked first, its key is the install's key.
            with contextlib.suppress(FileExistsError):
                os.link(temp, path)
        finally:
            temp.unlink(missing_ok=True)
    return path.read_text().strip()
