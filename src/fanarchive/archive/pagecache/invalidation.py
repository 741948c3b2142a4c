"""Which writes change what anonymous readers see, and bumping page versions when they happen.

It watches SQL rather than trusting every action to remember a call: a write that an action adds
tomorrow invalidates pages without anyone listing it. What it ignores is listed instead, and each
entry says why no page shows those rows to a reader who is not logged in."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.signals import setting_changed
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from fanarchive.archive.pagecache.versions import INDEX, SITE, STORE_ERRORS, WRITE, version_store
from fanarchive.archive.sql_writes import updated_columns, written_table

# Tables no anonymous page shows.
_PRIVATE_TABLES = frozenset(
    {
        "django_session",  # log-ins, not content
        "django_admin_log",
        "django_migrations",
        "axes_accessattempt",  # failed log-in counts
        "axes_accessfailurelog",
        "axes_accesslog",
        "account_emailaddress",  # an account's addresses and their confirmations
        "account_emailconfirmation",
        "mfa_authenticator",
        "archive_workhit",  # today's visitor keys; the count itself is below
        "archive_searchoutbox",  # the indexer's queue
        "archive_readinghistory",  # a member's own history
        "archive_inboxitem",
        "archive_preferences",
        "archive_excludedtag",  # a member's own exclusions apply to their own (uncached) pages
        "archive_mute",
        "archive_block",
        "archive_report",
        "archive_invitation",
        "archive_claim",
        "archive_apitoken",
        "archive_apijob",
        "archive_webhook",
        "archive_webhookdelivery",
    }
)
# Columns whose change alone leaves pages as they were: a hit counted (hit counts on pages are as
# old as the page, at most FANARCHIVE_PAGE_CACHE_SECONDS, as AO3's are), a log-in's time.
_QUIET_UPDATES = {"archive_statcounter": {"hits"}, "archive_user": {"last_login"}}


def changes_content(sql: str) -> bool:
    table = written_table(sql)
    if table is None or table in _PRIVATE_TABLES:
        return False
    quiet = _QUIET_UPDATES.get(table)
    if quiet is None:
        return True
    assigned = updated_columns(sql)
    return assigned is None or not assigned <= quiet


class _SeenVersion:
    """Whether this process has read page versions since it last bumped them."""

    seen = True


def note_version_read() -> None:
    _SeenVersion.seen = True


# The keys writes in this block change instead of SITE (changes_only).
_scope: ContextVar[frozenset[str] | None] = ContextVar("fanarchive_page_scope", default=None)


@contextmanager
def changes_only(keys: Iterable[str]) -> Iterator[None]:
    """Writes inside this block change only pages that depend on `keys`: for an action whose rows
    are shown only by readers that note those keys (dependencies.py). Any other write, and any
    write outside such a block, changes SITE, which every page depends on."""
    token = _scope.set(frozenset(keys))
    try:
        yield
    finally:
        _scope.reset(token)


def _bump(keys: Iterable[str]) -> None:
    _SeenVersion.seen = False
    try:
        version_store().bump([WRITE, *keys])
    except STORE_ERRORS as error:
        # A store that can't be written can't be read either (versions.readable_versions): pages
        # are then made without the cache, and the write that got here must not fail for it.
        logging.getLogger(__name__).error("page versions not replaced: %s", error)


def listings_changed() -> None:
    """For a change no table write shows: the search index's (listings are read from it)."""
    _bump([INDEX])


def site_changed() -> None:
    _bump([SITE])


def everything_changed() -> None:
    """For a change made outside Django's connection (a restore swaps the database, a reindex is
    what follows surgery on it): every page and every listing goes."""
    _bump([SITE, INDEX])


class _Pending:
    """The keys a connection's open transaction has changed, bumped when it commits."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def __call__(self) -> None:
        keys, self.keys = self.keys, set()
        _bump(keys)


def _note_write(connection: BaseDatabaseWrapper, keys: frozenset[str]) -> None:
    if not connection.in_atomic_block:
        _bump(keys)
        return
    # At commit, so that no page made meanwhile from the rows before it lives on.
    pending = next((entry[1] for entry in connection.run_on_commit if isinstance(entry[1], _Pending)), None)
    if pending is None:
        pending = _Pending()
        # Robust: a callback before it that raises (a task queue that is down) must not cost the
        # bump of a write that did commit.
        connection.on_commit(pending, robust=True)
    pending.keys |= keys
    # And now, if this process may have pages keyed on the current versions: what it reads inside
    # this transaction (a test's, or a request's own) must not come from a page of the old rows. An
    # import, which serves no pages, writes on without a bump per statement.
    if _SeenVersion.seen:
        _bump(keys)


def _watcher(connection: BaseDatabaseWrapper) -> Callable[..., Any]:
    def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if changes_content(sql):
            _note_write(connection, _scope.get() or _SITE_ONLY)
        return result

    watch.fanarchive_pagecache = True  # type: ignore[attr-defined]
    return watch


_SITE_ONLY = frozenset({SITE})


def watch_connection(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if not any(getattr(wrapper, "fanarchive_pagecache", False) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(_watcher(connection))


def _settings_changed(**kwargs: object) -> None:
    # Settings change only under tests (override_settings); a page made under the old ones goes.
    site_changed()


def install() -> None:
    connection_created.connect(watch_connection, dispatch_uid="fanarchive-pagecache")
    setting_changed.connect(_settings_changed, dispatch_uid="fanarchive-pagecache-settings")
