"""The content version every cached page is keyed on: a token that changes whenever content does.

Shared by every process that serves or writes (gunicorn workers, the task worker, `fanarchive
import`): a file beside the data in embedded mode, a Redis key with FANARCHIVE_REDIS_URL. Not in a
process's memory: a worker that kept its own would serve pages another worker's write made stale.
A bump is one small atomic file write (or one INCR), cheap enough to make on every write."""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings


class VersionStore(Protocol):
    def current(self) -> str: ...

    def bump(self) -> None: ...


class FileVersionStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def current(self) -> str:
        try:
            return self.path.read_text()
        except FileNotFoundError:
            self.bump()
            return self.path.read_text()

    def bump(self) -> None:
        # A fresh random token, not a counter: no read-modify-write race between processes, and a
        # lost file can never bring back a token pages were once stored under.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".version-")
        with os.fdopen(handle, "w") as out:
            out.write(secrets.token_hex(8))
        os.replace(temporary, self.path)


class RedisVersionStore:
    KEY = "fanarchive:pages:version"

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)

    def current(self) -> str:
        value = self.client.get(self.KEY)
        if value is None:
            return "0"
        return value.decode() if isinstance(value, bytes) else str(value)

    def bump(self) -> None:
        self.client.incr(self.KEY)


@cache
def _store(redis_url: str, home: str) -> VersionStore:
    if redis_url:
        return RedisVersionStore(redis_url)
    return FileVersionStore(Path(home) / "cache" / "pages-version")


def version_store() -> VersionStore:
    return _store(settings.REDIS_URL or "", str(settings.HOME))


def readable_version() -> str | None:
    """The current version, or None when the store cannot be read (a data folder gone wrong, Redis
    down): pages are then made and served without any cache, and /healthz still answers."""
    try:
        return version_store().current()
    except (OSError, ConnectionError) as error:
        logging.getLogger(__name__).warning("page cache off for this request: %s", error)
        return None
