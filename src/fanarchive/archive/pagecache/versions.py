"""Content versions: a token per key ("site", "index", "work:42") that changes whenever what the key
stands for does. Cached pages and fragments are kept with the tokens of every key they showed, and
served only while all of them are unchanged.

Shared by every process that serves or writes (gunicorn workers, the task worker, `fanarchive
import`): a file beside the data in embedded mode, Redis keys with FANARCHIVE_REDIS_URL. Not in a
process's memory: a worker that kept its own would serve pages another worker's write made stale.
A bump writes fresh random tokens, not counters: no read-modify-write race between processes, and
a lost store can never bring back a token pages were once stored under."""

from __future__ import annotations

import hashlib
import logging
import mmap
import os
import secrets
import tempfile
import threading
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

from django.conf import settings

# Every content write bumps this one first (invalidation.py); a page is stored only if it did not
# change while the page was made (middleware.py), which is what makes reading the other keys'
# tokens after the page's rows safe.
WRITE = "write"
# Whatever no narrower key covers: every page and fragment depends on it.
SITE = "site"
# The search index: listings are read from it (listing/service.py).
INDEX = "index"


def work_key(work_id: int) -> str:
    return f"work:{work_id}"


class VersionStore(Protocol):
    def read(self, keys: Sequence[str]) -> list[str]: ...

    def bump(self, keys: Iterable[str]) -> None:
        """Replaces the keys' tokens, WRITE's first when it is among them."""


def _ordered(keys: Iterable[str]) -> list[str]:
    unique = list(dict.fromkeys(keys))
    if WRITE in unique:
        unique.remove(WRITE)
        unique.insert(0, WRITE)
    return unique


class SlotVersionStore:
    """A file of SLOTS random 8-byte tokens; a key's token is in the slot its hash names. Keys that
    share a slot share a token: a change to one also drops the other's pages, which costs a page,
    never serves a stale one. Reads are from a shared mapping of the file (no system call per key);
    a bump writes its slots in place. The file is made once, already random, and never replaced
    while it exists: a process's mapping keeps seeing every other process's bumps."""

    SLOTS = 1 << 17  # 1 MiB

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._map: mmap.mmap | None = None
        self._inode: tuple[int, int] | None = None

    @staticmethod
    @lru_cache(maxsize=1 << 16)  # a listing reads 20-odd keys a request, the same ones again and again
    def _offset(key: str) -> int:
        slot = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")
        return (slot % SlotVersionStore.SLOTS) * 8

    def _create(self, replacing: bool = False) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".versions-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(secrets.token_bytes(self.SLOTS * 8))
            if replacing:
                # Every token new: no page kept under the damaged file's tokens matches one.
                # Processes that mapped it see the new inode at their next read.
                os.replace(temporary, self.path)
                return
            # A link, not a rename: it fails where another process made the file first, and theirs
            # (already mapped by someone) stays.
            os.link(temporary, self.path)
        except FileExistsError:
            pass
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)

    def _mapping(self) -> mmap.mmap:
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            self._create()
            status = os.stat(self.path)
        if status.st_size != self.SLOTS * 8:
            # Cut short (a full disk, a copy gone wrong): slots past its end could be neither read
            # nor bumped.
            self._create(replacing=True)
            status = os.stat(self.path)
        inode = (status.st_dev, status.st_ino)
        if self._map is None or inode != self._inode:
            with self._lock:
                if self._map is None or inode != self._inode:
                    # The file was made anew (a data folder restored): map the new one.
                    with open(self.path, "rb") as source:
                        self._map = mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
                    self._inode = inode
        return self._map

    def read(self, keys: Sequence[str]) -> list[str]:
        mapping = self._mapping()
        return [mapping[offset : offset + 8].hex() for offset in map(self._offset, keys)]

    def bump(self, keys: Iterable[str]) -> None:
        self._mapping()  # makes the file if it is missing
        handle = os.open(self.path, os.O_WRONLY)
        try:
            for key in _ordered(keys):
                os.pwrite(handle, secrets.token_bytes(8), self._offset(key))
        finally:
            os.close(handle)


class RedisVersionStore:
    PREFIX = "fanarchive:pages:version:"

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)

    def read(self, keys: Sequence[str]) -> list[str]:
        names = [self.PREFIX + key for key in keys]
        values = self.client.mget(names)
        if any(value is None for value in values):
            # A key never bumped (or lost with Redis's memory) gets a random token, never a fixed
            # one that pages from before the loss could still carry.
            for name, value in zip(names, values, strict=True):
                if value is None:
                    self.client.set(name, secrets.token_hex(8), nx=True)
            values = self.client.mget(names)
        return [value.decode() if isinstance(value, bytes) else str(value) for value in values]

    def bump(self, keys: Iterable[str]) -> None:
        # One MSET: atomic, so no reader sees some of the keys replaced and not WRITE.
        self.client.mset({self.PREFIX + key: secrets.token_hex(8) for key in _ordered(keys)})


@cache
def _store(redis_url: str, home: str) -> VersionStore:
    if redis_url:
        return RedisVersionStore(redis_url)
    return SlotVersionStore(Path(home) / "cache" / "page-versions")


def version_store() -> VersionStore:
    return _store(settings.REDIS_URL or "", str(settings.HOME))


def _store_errors() -> tuple[type[Exception], ...]:
    """What a store that cannot be reached raises: the file's OSError, or redis-py's own errors
    (which are not the built-in ConnectionError)."""
    try:
        from redis.exceptions import RedisError
    except ImportError:  # redis-py is only needed with FANARCHIVE_REDIS_URL
        return (OSError, ValueError)
    return (OSError, ValueError, RedisError)


STORE_ERRORS = _store_errors()


def readable_versions(keys: Sequence[str]) -> list[str] | None:
    """The keys' tokens, or None when the store cannot be read (a data folder gone wrong, Redis
    down): pages are then made and served without any cache, and /healthz still answers."""
    try:
        return version_store().read(keys)
    except STORE_ERRORS as error:
        logging.getLogger(__name__).warning("page cache off for this request: %s", error)
        return None
