"""The archive the serving benches read: `CorpusGenerator` works (real-sized chapters, fandoms,
characters, Zipf freeforms) stored through the importer's own action, so that every page shows
what it shows on a real site (creators, tags, counters), then indexed for search."""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

MANIFEST = "bench-serve.json"


@dataclass
class BenchArchive:
    """What the benches ask for, written beside the archive so that --home reuses it."""

    works: int
    chapter_url: str
    fandom: str
    search_word: str
    member: str
    build_seconds: float


def build(works: int, seed: int, max_chapter_words: int | None = None) -> BenchArchive:
    """Fill the configured (empty) archive; Django must be set up on it."""
    from fanarchive.archive.actions.imports import do_import_work
    from fanarchive.archive.indexing.indexer import drain_all
    from fanarchive.archive.indexing.service import get_backend
    from fanarchive.archive.models import User
    from fanarchive.bench.corpus import CorpusGenerator

    started = time.perf_counter()
    generator = CorpusGenerator(seed, fandoms=max(10, works // 10))
    first_multi: int | None = None
    for parsed in generator.works(works, max_chapter_words=max_chapter_words or 0):
        outcome = do_import_work(parsed)
        if first_multi is None and len(parsed.chapters) > 1:
            first_multi = outcome.work_id
    drain_all(get_backend())
    User.objects.create_user("bench-reader", password=None)
    # The commonest fandom (rank 1 of the Zipf weights) lists the most works: the worst page.
    return BenchArchive(
        works=works,
        chapter_url=f"/works/{first_multi or 1}/chapters/2" if first_multi else "/works/1/chapters/1",
        fandom=generator.fandoms[0].name,
        search_word="door",
        member="bench-reader",
        build_seconds=time.perf_counter() - started,
    )


def open_archive(home: Path | None, works: int, seed: int) -> tuple[Path, BenchArchive]:
    """Set Django up on `home` (a new temporary folder when None), building the archive unless an
    earlier run left one there."""
    home = home or Path(tempfile.mkdtemp(prefix="fanarchive-bench-serve-")) / "home"
    os.environ["FANARCHIVE_HOME"] = str(home)
    from fanarchive.cli.setup import setup_django

    setup_django(migrate=True)
    built = load(home)
    if built is None:
        built = build(works, seed)
        save(home, built)
    return home, built


def save(home: Path, archive: BenchArchive) -> None:
    (home / MANIFEST).write_text(json.dumps(asdict(archive), indent=2))


def load(home: Path) -> BenchArchive | None:
    path = home / MANIFEST
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return BenchArchive(**data)


def session_cookie(member: str) -> str:
    """A logged-in session of `member`, as the Cookie header a browser would send."""
    from django.conf import settings
    from django.test import Client

    from fanarchive.archive.models import User

    client = Client()
    client.force_login(User.objects.get(username=member))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
