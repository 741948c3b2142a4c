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
