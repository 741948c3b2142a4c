"""The Django side of search: documents from the database, the configured backend, the outbox."""

from __future__ import annotations

import argparse
from typing import Any


class SearchUnavailable(Exception):
    pass


def search_from_cli(args: argparse.Namespace) -> dict[str, Any]:
    raise SearchUnavailable("the search engine is not built yet")


def reindex_all() -> int:
    raise SearchUnavailable("the search engine is not built yet")
