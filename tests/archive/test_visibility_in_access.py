"""Routes take who may see what from archive/access.py alone: no view, feed or listing module
reaches a protected model's rows directly or filters on the visibility flags itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import fanarchive.archive

ARCHIVE = Path(fanarchive.archive.__file__).parent
ROUTE_CODE = [ARCHIVE / "web", ARCHIVE / "feeds"]
# Models whose rows a reader may or may not see: reached only through access.py.
PROTECTED = {"Work", "Chapter", "Tag", "User", "Series", "RelatedWork"}
FLAG = re.compile(r"(^|__)(posted|hidden_by_admin|restricted)$")


# Calls whose keyword arguments are conditions on rows; an action's `posted=` is not one.
QUERY_METHODS = {"filter", "exclude", "get", "get_or_create", "update_or_create", "annotate", "aggregate"}


def _is_query(func: ast.expr) -> bool:
    if isinstance(func, ast.Attribute):
        return func.attr in QUERY_METHODS
    return isinstance(func, ast.Name) and func.id in {"Q", "Count", "Exists"}


def offences(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in PROTECTED
        ):
            found.append(f"{name}:{node.lineno} {node.value.id}.objects")
        if isinstance(node, ast.Call) and _is_query(node.func):
            for keyword in node.keywords:
                if keyword.arg and FLAG.search(keyword.arg):
                    found.append(f"{name}:{keyword.value.lineno} filters on {keyword.arg}")
    return sorted(found)


def test_routes_reach_protected_rows_only_through_access() -> None:
    files = [path for folder in ROUTE_CODE for path in folder.rglob("*.py")]
    assert len(files) > 10
    found = [o for path in files for o in offences(path.read_text(), str(path.relative_to(ARCHIVE)))]
    assert not found, "use fanarchive.archive.access instead:\n" + "\n".join(found)


def test_the_check_finds_what_it_looks_for() -> None:
    source = "Work.objects.filter(posted=True)\nx.filter(work__hidden_by_admin=False, words=3)\n"
    assert offences(source, "f.py") == [
        "f.py:1 Work.objects",
        "f.py:1 filters on posted",
        "f.py:2 filters on work__hidden_by_admin",
    ]


def test_the_check_tells_a_filter_from_an_action_argument() -> None:
    source = (
        "works = visible.filter(posted=True)\n"
        "other = Q(work__hidden_by_admin=False)\n"
        "do_add_chapter(work, text, posted=True)\n"
        "do_create_work(user, restricted=data['restricted'])\n"
    )
    assert offences(source, "x.py") == ["x.py:1 filters on posted", "x.py:2 filters on work__hidden_by_admin"]
