from __future__ import annotations

from tests.web.conftest import backend

__all__ = ["backend"]  # each search backend in turn, as for the web tests
