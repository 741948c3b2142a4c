"""Account tests: a real SMTP server (support/smtp_server.py), and rate-limit counters that start
empty (allauth keeps them in the cache, which outlives a test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from support.smtp_server import smtp_server

__all__ = ["smtp_server"]


@pytest.fixture(autouse=True)
def empty_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
