"""Every list of works goes through the listing service: nothing else asks a search backend for
works, and each caller (web listings, Atom, OPDS, `fanarchive search`) reaches the service.

Found by reading the code (like tests/test_import_cycles.py), so it holds for paths no test visits."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.test_import_cycles import import_graph

import fanarchive

ROOT = Path(fanarchive.__file__).parent
SERVICE = "fanarchive.archive.listing.service"
# The engines themselves, their benchmarks, and the service.
EXEMPT = ("fanarchive.search.", "fanarchive.bench.", SERVICE)
# What hands out a search backend.
BACKEND_SOURCES = {
    "searcher",
    "get_backend",
    "make_backend",
    "MemoryBackend",
    "TantivyBackend",
    "PostgresBackend",
}
CALLERS = [
    "fanarchive.archive.web.views.listing",  # /works, /tags/<t>/works, /users/<u>/works
    "fanarchive.archive.web.views.home",
    "fanarchive.archive.feeds.atom_views",
    "fanarchive.archive.feeds.opds_views",
    "fanarchive.cli.search",
]


def _callee(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def backend_searches(source: str) -> list[int]:
    """Lines that call `.search(...)` on a search backend: on `searcher()` (or another source of
    backends) directly, or on a name assigned from one."""
    tree = ast.parse(source)
    backends: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Call):
            if _callee(node.value.func) in BACKEND_SOURCES:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                backends |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif (
            isinstance(node, ast.arg)
            and node.annotation is not None
            and "SearchBackend" in ast.unparse(node.annotation)
        ):
            backends.add(node.arg)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "search":
            receiver = node.func.value
            direct = isinstance(receiver, ast.Call) and _callee(receiver.func) in BACKEND_SOURCES
            named = isinstance(receiver, ast.Name) and receiver.id in backends
            if direct or named:
                found.append(node.lineno)
    return found


def _module(path: Path) -> str:
    parts = ["fanarchive", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_checker_sees_each_way_of_asking_a_backend() -> None:
    planted = """
import re
from fanarchive.archive.indexing.service import searcher, get_backend

def a(q): return searcher().search(q)
def b(q):
    backend = get_backend()
    return backend.search(q)
def c(engine: SearchBackend, q): return engine.search(q)
def d(text): return re.search("x", text), _PATTERN.search(text)
"""
    assert backend_searches(planted) == [5, 8, 9]


def test_only_the_listing_service_asks_a_backend_for_works() -> None:
    offenders = {
        _module(path): lines
        for path in ROOT.rglob("*.py")
        if not _module(path).startswith(EXEMPT) and "migrations" not in path.parts
        if (lines := backend_searches(path.read_text()))
    }
    assert offenders == {}, "list works through fanarchive.archive.listing.service.list_works"
    assert backend_searches((ROOT / "archive/listing/service.py").read_text()), "the service itself"


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, pending = {start}, [start]
    while pending:
        for target in graph.get(pending.pop(), ()):
            if target == goal:
                return True
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return False


def test_every_caller_reaches_the_service() -> None:
    graph = import_graph()
    assert [caller for caller in CALLERS if not _reaches(graph, caller, SERVICE)] == []
