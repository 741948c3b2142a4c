"""API tests run with rate limits far above what they send, and fresh counters: the rate limit
test sets its own low limits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def roomy_api_limits(settings: Any) -> Iterator[None]:
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "api": "100000/m/key",
        "api_guest": "100000/m/ip",
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def jobs_inline(settings: Any, tmp_path: Any) -> Iterator[None]:
    """Tasks (import and export jobs, webhook deliveries) run in the request that queues them, and
    job files go under a fresh FANARCHIVE_HOME."""
    from huey.contrib.djhuey import HUEY

    settings.HOME = tmp_path / "home"
    HUEY.immediate = True
    yield
    HUEY.immediate = False
