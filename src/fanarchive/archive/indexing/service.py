"""The search backend this process uses, chosen by the FANARCHIVE_SEARCH_BACKEND setting."""

from __future__ import annotations

import threading

from django.conf import settings

from fanarchive.search.backend import SearchBackend

_backend: SearchBackend | None = None
# gunicorn's gthread workers serve requests on several threads: without it two first requests
# would each open a backend, and one would be left unclosed.
_lock = threading.Lock()


def make_backend(name: str) -> SearchBackend:
    if name == "tantivy":
        from fanarchive.search.tantivy_backend import TantivyBackend

        return TantivyBackend(settings.HOME / "search")
    if name == "memory":
        from fanarchive.search.memory_backend import MemoryBackend

        return MemoryBackend()
    if name == "null":
        from fanarchive.search.null_backend import NullBackend

        return NullBackend()
    if name == "postgres":
        from fanarchive.archive.indexing.postgres_from_settings import PostgresBackend

        backend: SearchBackend = PostgresBackend()
        return backend
    raise ValueError(f"unknown search backend {name!r} (tantivy, postgres, memory or null)")


def get_backend() -> SearchBackend:
    global _backend
    backend = _backend
    if backend is None:
        with _lock:
            if _backend is None:
                _backend = make_backend(settings.SEARCH_BACKEND)
            backend = _backend
    return backend


def reset_backend() -> None:
    """Forget this process's backend (tests; after fork)."""
    global _backend
    with _lock:
        if _backend is not None:
            _backend.close()
        _backend = None


def searcher() -> SearchBackend:
    """The backend to search with; in immediate mode, first brought up to date with the outbox."""
    backend = get_backend()
    if settings.SEARCH_INDEX_IMMEDIATELY:
        from fanarchive.archive.indexing.indexer import drain_all

        drain_all(backend)
    return backend
