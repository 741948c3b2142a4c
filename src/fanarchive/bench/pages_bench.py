"""`fanarchive bench pages`: a chapter page of a long work as three kinds of reader get it, through
the whole middleware stack in-process (Django's test client, no sockets): an anonymous reader
served from the page cache, an anonymous reader with the page cache off (every page made), and a
logged-in member with tag exclusions (never page-cached: the pages the fragments are for), who
also reads /works (20 blurbs).

The work: --chapters chapters of --words words each, with --comments comments. Each figure is a
median over --repeats requests in the same run, with the queries one request took and the
CPU time per request."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from fanarchive.bench.comments_bench import figures, seed_comments
from fanarchive.bench.measure import machine, timed


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def _time(client: Any, url: str, repeats: int) -> dict[str, Any]:
    status = client.get(url).status_code  # and warm: templates compiled, caches filled
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    started = time.process_time()
    result = figures(timed(lambda: client.get(url), repeats))
    # This process's CPU per request: what a page costs a worker, less disturbed than wall time
    # by other processes on a busy machine.
    result["cpu_ms"] = (time.process_time() - started) / repeats * 1000
    result["queries"] = _queries(client, url)
    return result


def _seed(chapters: int, words: int, comments: int) -> tuple[int, Any]:
    from fanarchive.archive.actions.authors import do_ensure_default_pseud
    from fanarchive.archive.actions.exclusions import do_exclude_tag
    from fanarchive.archive.actions.imports import do_import_work
    from fanarchive.archive.actions.tags import do_create_tag
    from fanarchive.archive.models import User
    from fanarchive.bench.long_work import long_work
    from fanarchive.domain.tags import TagKind

    owner = User.objects.create_user("bench-author", password=None)
    do_ensure_default_pseud(owner)
    parsed = long_work(words=words * chapters, chapters=chapters, seed=3)
    parsed.authors = [owner.username]
    work_id = do_import_work(parsed, owner=owner).work_id
    seed_comments(work_id, comments)
    # A /works page of 20 blurbs: the long work and 19 short ones.
    for seed in range(19):
        short = long_work(words=300, chapters=1, seed=100 + seed)
        short.authors = [owner.username]
        do_import_work(short, owner=owner)
    reader = User.objects.create_user("bench-reader", password=None)
    do_ensure_default_pseud(reader)
    # Exclusions the work does not match, so the member still reads it: they cost their lookups.
    for name in ("Bench Excluded One", "Bench Excluded Two"):
        do_exclude_tag(reader, do_create_tag(name, TagKind.FREEFORM))
    return work_id, reader


def run(chapters: int, words: int, comments: int, repeats: int) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-pages-"))
    os.environ["FANARCHIVE_HOME"] = str(workdir / "home")
    # /works lists from the search index: fed in the request, as no indexer runs here.
    os.environ["FANARCHIVE_SEARCH_IMMEDIATE"] = "1"
    from fanarchive.cli.setup import setup_django

    setup_django(migrate=True)
    return measure(chapters, words, comments, repeats)


def measure(chapters: int, words: int, comments: int, repeats: int) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    work_id, reader = _seed(chapters, words, comments)
    url = f"/works/{work_id}/chapters/{max(1, chapters // 2)}"
    host = settings.ALLOWED_HOSTS[0]
    settings.PAGE_CACHE_SECONDS = 600
    cached = _time(Client(HTTP_HOST=host), url, repeats)
    settings.PAGE_CACHE_SECONDS = 0
    uncached = _time(Client(HTTP_HOST=host), url, repeats)
    # Never page-cached, but its fragments are, under the page cache's setting.
    settings.PAGE_CACHE_SECONDS = 600
    member = Client(HTTP_HOST=host)
    member.force_login(reader)
    logged_in = _time(member, url, repeats)
    logged_in_works = _time(member, "/works", repeats)
    return {
        "suite": "pages",
        "machine": machine(),
        "url": url,
        "chapters": chapters,
        "words_per_chapter": words,
        "comments": comments,
        "anonymous_cached": cached,
        "anonymous_uncached": uncached,
        "logged_in": logged_in,
        "logged_in_works_page": logged_in_works,
        "logged_in_over_cached_p50": logged_in["p50_ms"] / cached["p50_ms"],
    }
