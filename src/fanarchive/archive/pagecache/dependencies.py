"""What the page being made shows: the version keys (versions.py) it depends on, noted by the code
that reads the rows as it reads them. The page cache stores the page with those keys' tokens.

Every page depends on SITE. Narrower keys are noted where the rows they cover are read: a work's own
pages by their URL (middleware.py), every blurb by `build_blurbs`, listings (INDEX) by the listing
service. A write bumps a narrower key instead of SITE only inside `invalidation.changes_only`, used
by actions whose rows are shown nowhere but through those readers (kudos, comments)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from fanarchive.archive.pagecache.versions import INDEX, SITE, work_key

_noted: ContextVar[set[str] | None] = ContextVar("fanarchive_page_dependencies", default=None)


@contextmanager
def noting() -> Iterator[set[str]]:
    """Collects the keys noted while the block runs (a page or fragment being made)."""
    outer = _noted.get()
    keys = {SITE}
    token = _noted.set(keys)
    try:
        yield keys
    finally:
        _noted.reset(token)
        if outer is not None:
            outer.update(keys)  # a fragment's keys are its page's too


def depends_on(keys: Iterable[str]) -> None:
    noted = _noted.get()
    if noted is not None:
        noted.update(keys)


def shows_works(work_ids: Iterable[int]) -> None:
    depends_on(work_key(work_id) for work_id in work_ids)


def shows_listing() -> None:
    depends_on((INDEX,))
