"""Fixtures shared by the database and web tests: works built in code, stored through the real
import action."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from fanarchive.domain.work import ParsedChapter, ParsedWork, Source, empty_tags

_ids = itertools.count(1)


def parsed_work(
    title: str = "The Quiet Harbour",
    *,
    authors: tuple[str, ...] = ("quietharbour",),
    chapters: int = 3,
    tags: dict[str, list[str]] | None = None,
    stats: dict[str, int] | None = None,
    **fields: Any,
) -> ParsedWork:
    all_tags = empty_tags()
    all_tags.update(
        tags
        or {
            "rating": ["General Audiences"],
            "warning": ["No Archive Warnings Apply"],
            "category": ["Gen"],
            "fandom": ["Saltmarsh Chronicles"],
            "character": ["Ada Renner"],
            "freeform": ["Found Family"],
        }
    )
    return ParsedWork(
        title=title,
        authors=list(authors),
        summary="<p>Boats, weather, and a lighthouse that keeps its own counsel.</p>",
        tags=all_tags,
        status="complete",
        published="2024-03-01",
        updated="2024-04-02",
        chapters_expected=chapters,
        stats={"kudos": 12, "hits": 340} if stats is None else stats,
        chapters=[
            ParsedChapter(
                number=n,
                title=f"Tide {n}",
                html=f"<p>The tide came in for the {n} time, and Ada counted the gulls.</p><p>Chapter {n} ends.</p>",
                notes="<p>A note before.</p>" if n == 1 else None,
                end_notes="<p>A note after.</p>" if n == chapters else None,
            )
            for n in range(1, chapters + 1)
        ],
        source=Source(format="test", id=f"test-{next(_ids)}"),
        **fields,
    )


@pytest.fixture(autouse=True)
def fresh_page_cache() -> None:
    """Each test's database starts from a rollback, which changes rows without a write the page cache
    could see: a new page version, so no test is served a page another test's rows made."""
    from fanarchive.archive.pagecache.invalidation import site_changed

    site_changed()


@pytest.fixture(autouse=True)
def empty_task_queue() -> None:
    """huey's queue lives outside the test database (a file, or Redis), so the rollback that ends a
    test leaves the tasks it enqueued: empty it, so no test sees another's tasks (/healthz counts them)."""
    from huey.contrib.djhuey import HUEY

    HUEY.flush()


@pytest.fixture(autouse=True)
def memory_search(settings: Any, request: pytest.FixtureRequest) -> Any:
    """Database tests search an in-process index kept up to date on every search; the engines
    themselves are tested by tests/search/test_contract.py. Browser tests use the embedded tantivy
    index that a real archive serves from. FANARCHIVE_TEST_SEARCH_BACKEND (postgres, tantivy,
    memory) runs them all on one backend instead (postgres with DATABASE_URL on PostgreSQL)."""
    from fanarchive.archive.indexing.service import reset_backend

    default = "tantivy" if request.node.get_closest_marker("browser") else "memory"
    settings.SEARCH_BACKEND = os.environ.get("FANARCHIVE_TEST_SEARCH_BACKEND", default)
    if settings.SEARCH_BACKEND == "postgres":
        # Its tables are outside the test's rolled-back transaction: a fresh schema for each test.
        settings.SEARCH_POSTGRES_SCHEMA = f"test_search_{uuid.uuid4().hex[:12]}"
    if settings.SEARCH_BACKEND == "tantivy":
        # The index lives under HOME: a fresh home, so no test finds another's works.
        settings.HOME = request.getfixturevalue("tmp_path") / "home"
    settings.SEARCH_INDEX_IMMEDIATELY = True
    reset_backend()
    yield
    reset_backend()


@pytest.fixture
def make_work(db: None) -> Callable[..., Any]:
    from fanarchive.archive.actions.imports import do_import_work
    from fanarchive.archive.models import Work

    def make(title: str = "The Quiet Harbour", *, owner: str | None = None, **kwargs: Any) -> Work:
        """`owner`: the work goes to that member's account (made on first use, able to log in),
        as `import --owner` does; otherwise its byline names become imported accounts, which
        nobody can log into until claimed."""
        account = _member(owner) if owner else None
        if owner:
            kwargs.setdefault("authors", (owner,))
        outcome = do_import_work(parsed_work(title, **kwargs), owner=account)
        return Work.objects.get(pk=outcome.work_id)

    return make


def _member(username: str) -> Any:
    from fanarchive.archive.actions.authors import do_ensure_default_pseud
    from fanarchive.archive.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, password="x")
        do_ensure_default_pseud(user)
    return user


@pytest.fixture
def build_parsed() -> Callable[..., ParsedWork]:
    return parsed_work
