"""Reads from a PostgreSQL streaming replica, writes to the primary (FANARCHIVE_DATABASE_REPLICA_URL).

Only web requests read from the replica, and only when it is safe:
- a request that wrote, and the same browser for READ_YOUR_WRITES_SECONDS after it (a cookie
  stamped by ReadRoutingMiddleware), reads from the primary: a replica a little behind must not
  hide what someone just posted from them;
- a page the anonymous page cache is about to store is made from the primary: the cache keeps it
  under the version tokens current once it is made, so a page made from a replica that has not yet
  replayed a write committed just before would be kept, stale, under that write's tokens (fragments
  made from the replica are not kept at all, for the same reason: `reads_replica`);
- reads inside a transaction go where its writes go;
- a replica that cannot be reached is left alone for REPLICA_RETRY_SECONDS and reads go to the
  primary meanwhile.
Everything else (the task worker, the indexer, `fanarchive import`) reads from the primary: those
read rows to write from them."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

from fanarchive.archive.sql_writes import updated_columns, written_table

REPLICA = "replica"
COOKIE = "fa_primary_until"
# A replica found unreachable is tried again after this long; meanwhile reads go to the primary.
REPLICA_RETRY_SECONDS = 5.0

# Writes every reader makes by reading, which must not send them all to the primary: a visitor
# key for the hit count, the count (kept exact on the primary, shown as the page is), and the
# session row a visit may save when sessions are in the database.
_READING_WRITES = frozenset({"archive_workhit", "django_session"})


@dataclass
class _RequestState:
    use_replica: bool
    wrote: bool = False


# None outside web requests: those read from the primary.
_state: ContextVar[_RequestState | None] = ContextVar("fanarchive_read_routing", default=None)


class _ReplicaHealth:
    down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_replica() -> bool:
    """Whether this request's reads may come from the replica (so may be a little behind)."""
    state = _state.get()
    return state is not None and state.use_replica and not state.wrote


def _replica_reachable() -> bool:
    if time.monotonic() < _ReplicaHealth.down_until:
        return False
    connection = connections[REPLICA]
    try:
        # Once a request (CONN_HEALTH_CHECKS): a kept connection to a replica since stopped is
        # dropped here and the connect below fails, rather than the page's first query.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        connection.close()
        _ReplicaHealth.down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        return False
    return True


class PrimaryReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str:
        state = _state.get()
        if (
            state is None
            or not state.use_replica
            or state.wrote
            or connections["default"].in_atomic_block
            or not _replica_reachable()
        ):
            return "default"
        return REPLICA

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: object, obj2: object, **hints: Any) -> bool:
        return True  # the same rows on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"  # the replica replays the primary's schema


def is_pinning_write(sql: str) -> bool:
    table = written_table(sql)
    if table is None or table in _READING_WRITES:
        return False
    return not (table == "archive_statcounter" and updated_columns(sql) == {"hits"})


def _watcher(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    state = _state.get()
    if state is not None and not state.wrote and is_pinning_write(sql):
        # From now on this request reads what it wrote.
        state.wrote = True
    return execute(sql, params, many, context)


class ReadRoutingMiddleware:
    """Innermost (after the page cache's middleware, which marks the pages it will store)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        now = time.time()
        try:
            pinned_until = float(request.COOKIES.get(COOKIE, "0"))
        except ValueError:
            pinned_until = 0.0
        use_replica = (
            request.method in ("GET", "HEAD")
            and pinned_until <= now
            and not getattr(request, "page_cache_storing", False)
        )
        state = _RequestState(use_replica=use_replica)
        token = _state.set(state)
        try:
            with connections["default"].execute_wrapper(_watcher):
                response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote:
            seconds = settings.READ_YOUR_WRITES_SECONDS
            # Not signed: a forged stamp only sends its own reader to the primary.
            response.set_cookie(
                COOKIE, f"{now + seconds:.0f}", max_age=seconds, httponly=True, samesite="Lax"
            )
        return response
