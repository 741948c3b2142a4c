from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest


def _backends() -> list[str]:
    chosen = os.environ.get("FANARCHIVE_TEST_SEARCH_BACKEND")
    return [chosen] if chosen else ["memory", "tantivy"]


@pytest.fixture(params=_backends())
def backend(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> str:
    """Each search backend in turn (the memory and tantivy ones), or only the one
    FANARCHIVE_TEST_SEARCH_BACKEND names: for tests of what every route answers whatever the engine."""
    from fanarchive.archive.indexing.service import reset_backend

    settings.SEARCH_BACKEND = request.param
    if request.param == "tantivy":
        settings.HOME = tmp_path / "home"
    reset_backend()
    return str(request.param)
