"""fanarchive.search never imports Django: the Django side is built on top of it, not under it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import fanarchive.search

SEARCH = Path(fanarchive.search.__file__).parent


def test_importing_every_search_module_loads_no_django() -> None:
    modules = [m.name for m in pkgutil.walk_packages([str(SEARCH)], "fanarchive.search.")]
    assert "fanarchive.search.tantivy_backend" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
