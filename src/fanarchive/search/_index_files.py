"""Files beside a tantivy index that let several processes open it at once safely.

`VERSION` is replaced atomically (temp file, fsync, rename), so no reader ever sees it empty or
half written. `.fanarchive.lock` is flocked exclusively around the version check and any
destructive step; `.fanarchive.holders` is flocked shared by every open backend for as long as it
lives, so a destructive step (dropping an index of an older layout) happens only when it can take
that lock exclusively, that is when no other process holds the index open. flock locks are
released by the kernel when their holder dies, so a killed process never leaves a stale lock;
the pid written into the lock file only says who held it last.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

LOCK_NAME = ".fanarchive.lock"
HOLDERS_NAME = ".fanarchive.holders"
# Which generation of the index is live: 0 (or no file) is works/ and tags/ in the index directory
# itself, N the ones in gen-N/. A rebuild fills gen-N+1 and then replaces this file, one atomic step.
GENERATION_NAME = "GENERATION"


def generation(directory: Path) -> int:
    try:
        return int((directory / GENERATION_NAME).read_text().strip() or 0)
    except FileNotFoundError:
        return 0


def generation_dir(directory: Path, number: int) -> Path:
    return directory if number == 0 else directory / f"gen-{number}"


def has_index(directory: Path) -> bool:
    """Whether any generation of an index lies here: after two rebuilds only gen-N/ is left."""
    return (
        any((directory / name).exists() for name in ("works", "tags"))
        or (directory / GENERATION_NAME).exists()
        or any(directory.glob("gen-*"))
    )


def remove_generations_before(directory: Path, number: int) -> None:
    for candidate in directory.glob("gen-*"):
        suffix = candidate.name.removeprefix("gen-")
        if suffix.isdigit() and int(suffix) < number:
            shutil.rmtree(candidate, ignore_errors=True)
    if number > 0:
        for name in ("works", "tags"):
            shutil.rmtree(directory / name, ignore_errors=True)


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that readers see the old content or the new, never a mix."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    # The rename itself is durable only once the directory is synced.
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@contextmanager
def exclusive(directory: Path) -> Iterator[None]:
    """Hold the index's mutation lock (blocking): one process at a time checks or changes its layout."""
    with open(directory / LOCK_NAME, "a+") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        try:
            file.seek(0)
            file.truncate()
            file.write(f"{os.getpid()}\n")
            file.flush()
            yield
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


def hold(directory: Path) -> IO[str]:
    """A shared lock saying "this process has the index open"; released when the file is closed
    or the process dies."""
    file = open(directory / HOLDERS_NAME, "a+")  # noqa: SIM115 - kept open for the backend's life
    fcntl.flock(file, fcntl.LOCK_SH)
    return file


def nobody_else_holds(directory: Path) -> bool:
    """True when no other open backend holds the index (call with the mutation lock held and
    before this process takes its own shared lock)."""
    with open(directory / HOLDERS_NAME, "a+") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(file, fcntl.LOCK_UN)
        return True
