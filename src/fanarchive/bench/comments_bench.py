"""`fanarchive bench comments`: a work page with many comments, its first page of threads timed
as a reader's browser would ask for it (the whole page, through the site's middleware). A peer in the same run: the same page with no comments."""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path
from typing import Any

from fanarchive.bench.measure import machine, timed


def _percentile(seconds: list[float], share: float) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def figures(seconds: list[float]) -> dict[str, float]:
    return {
        "p50_ms": statistics.median(seconds) * 1000,
        "p95_ms": _percentile(seconds, 0.95) * 1000,
        "runs": len(seconds),
    }


def seed_comments(work_id: int, count: int) -> None:
    """`count` comments on the work: half top-level threads, each with one reply (loaded in bulk:
    the bench measures reading them, and every reader sees them all)."""
    from fanarchive.archive.access import credited_creatorships
    from fanarchive.archive.actions.comments import do_load_comment_threads
    from fanarchive.archive.models import Work

    credit = credited_creatorships([work_id]).select_related("pseud").first()
    pseud = credit.pseud if credit else None
    replies = count // 2
    threads = [
        (f"<p>Thread {n}: the tide, the gulls.</p>", ["<p>A reply.</p>"] if n < replies else [])
        for n in range((count + 1) // 2)
    ]
    do_load_comment_threads(Work.objects.get(pk=work_id), pseud, threads)


def time_page(url: str, repeats: int) -> dict[str, Any]:
    """The page as a guest gets it when it is made, not served from the page cache (which is off
    here: the figure is the render). Its queries are counted by tests/web/test_comments.py, which
    asserts that 1,000 comments take no more than one."""
    from django.conf import settings
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 0

    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    secure = bool(getattr(settings, "SECURE", False))
    status = client.get(url, secure=secure).status_code  # and warm
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    return figures(timed(lambda: client.get(url, secure=secure), repeats))


def run(comments: int, repeats: int) -> dict[str, Any]:
    """A fresh SQLite archive with one work by a member and `comments` comments on it."""
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-comments-"))
    os.environ["FANARCHIVE_HOME"] = str(workdir / "home")
    from fanarchive.cli.setup import setup_django

    setup_django(migrate=True)
    return measure(comments, repeats)


def measure(comments: int, repeats: int) -> dict[str, Any]:
    """In a configured archive: a quiet work and a busy one, built alike, read alike."""
    from fanarchive.archive.actions.authors import do_ensure_default_pseud
    from fanarchive.archive.actions.imports import do_import_work
    from fanarchive.archive.models import User
    from fanarchive.bench.long_work import long_work

    owner = User.objects.create_user(f"bench{User.objects.count()}", password=None)
    do_ensure_default_pseud(owner)
    work_ids = []
    for seed in (1, 2):
        parsed = long_work(words=2000, chapters=1, seed=seed)
        parsed.authors = [owner.username]
        work_ids.append(do_import_work(parsed, owner=owner).work_id)
    quiet, busy = work_ids
    seed_comments(busy, comments)
    with_comments = time_page(f"/works/{busy}", repeats)
    without = time_page(f"/works/{quiet}", repeats)
    return {
        "suite": "comments",
        "machine": machine(),
        "comments": comments,
        "threads_per_page": 50,
        "with_comments": with_comments,
        "peer_without_comments": without,
        "ratio_p50": with_comments["p50_ms"] / without["p50_ms"],
    }
