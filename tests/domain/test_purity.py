"""The domain core must never import Django: it is what keeps it fast to test and reusable."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import fanarchive.domain

DOMAIN = Path(fanarchive.domain.__file__).parent


def _outside_domain(module: str) -> bool:
    top = module.split(".")[0]
    return top == "django" or (top == "fanarchive" and not module.startswith("fanarchive.domain"))


def test_no_domain_module_names_django() -> None:
    offenders = []
    for path in DOMAIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if _outside_domain(n)]
    assert offenders == []


def test_importing_every_domain_module_loads_no_django() -> None:
    modules = [m.name for m in pkgutil.walk_packages([str(DOMAIN)], "fanarchive.domain.")]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
