"""`fanarchive bench api`: GET /api/v1/works against the /works page it mirrors, for the same
filters, at N works. Both go through the whole request path (middleware, the listing service,
the search index); the API's cost over the page is its JSON, ETag and rate-limit counting, the
page's is its template. A member asks both, so neither is served from the anonymous page cache."""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path
from typing import Any

from fanarchive.bench.measure import machine, timed

# Filter sets a reader sends: the default listing, sorts, a word, numeric and boolean filters.
FILTERS: dict[str, dict[str, str]] = {
    "default": {},
    "kudos": {"sort": "kudos"},
    "title_asc": {"sort": "title", "order": "asc"},
    "words_range": {"words_from": "50", "words_to": "5000", "sort": "words"},
    "published_since": {"published_from": "2020-01-01", "sort": "published"},
    "search_word": {"q": "the"},
}


def _seed(works: int, seed: int) -> float:
    from fanarchive.archive.indexing.indexer import reindex_all
    from fanarchive.archive.indexing.service import get_backend
    from fanarchive.bench.import_bench import seed_existing

    seconds = seed_existing(works, seed)
    reindex_all(get_backend())
    return seconds


def measure(repeats: int) -> dict[str, Any]:
    """In a configured archive with works in its index: each filter set, page and API in turn."""
    from django.conf import settings
    from django.test import Client

    from fanarchive.archive.models import User

    # The bench's own client would spend the API's per-account limit in seconds.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "api": "10000000/m/key"}
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.force_login(User.objects.create_user(f"bencher{User.objects.count()}", password=None))
    secure = bool(getattr(settings, "SECURE", False))
    cases: dict[str, Any] = {}
    for name, params in FILTERS.items():
        for url in ("/works", "/api/v1/works"):
            status = client.get(url, params, secure=secure).status_code  # and warm
            if status != 200:
                raise RuntimeError(f"{url} {params} answered {status}")
        # Alternated, one request of each in turn: on a shared machine a burst of load elsewhere falls
        # on both sides alike instead of on whichever ran its repeats during it.
        page: list[float] = []
        api: list[float] = []
        for _ in range(repeats):
            page += timed(lambda params=params: client.get("/works", params, secure=secure), 1)  # type: ignore[misc]
            api += timed(lambda params=params: client.get("/api/v1/works", params, secure=secure), 1)  # type: ignore[misc]
        cases[name] = {
            "params": params,
            "page_ms": statistics.median(page) * 1000,
            "api_ms": statistics.median(api) * 1000,
            "api_over_page": statistics.median(api) / statistics.median(page),
        }
    worst = max(case["api_over_page"] for case in cases.values())
    return {"cases": cases, "worst_api_over_page": worst, "target_ratio": 1.5, "within_target": worst <= 1.5}


def run(works: int, repeats: int, seed: int, home: str | None = None) -> dict[str, Any]:
    """A fresh SQLite archive with `works` seeded works, indexed by the default search engine; or
    `home`, one an earlier run seeded (seeding a million works takes about 20 minutes)."""
    if home is None:
        home = str(Path(tempfile.mkdtemp(prefix="fanarchive-bench-api-")) / "home")
    os.environ["FANARCHIVE_HOME"] = home
    from fanarchive.cli.setup import setup_django

    setup_django(migrate=True)
    from django.conf import settings

    from fanarchive.archive.models import Work

    seeded = 0.0
    if not Work.objects.exists():
        seeded = _seed(works, seed)
    works = Work.objects.count()

    report = measure(repeats)
    return {
        "bench": "api",
        "works": works,
        "repeats": repeats,
        "search_backend": settings.SEARCH_BACKEND,
        "seed_seconds": seeded,
        "machine": machine(),
        **report,
    }
