"""Datasette's rule: a setting or command nobody documented is a bug."""

from __future__ import annotations

import re
from pathlib import Path

import fanarchive
from fanarchive.cli.main import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = Path(fanarchive.__file__).parent / "settings.py"


def test_every_environment_variable_is_documented() -> None:
    source = SETTINGS.read_text()
    names = set(re.findall(r'(?:environ\.get|_env_bool)\("([A-Z0-9_]+)"', source))
    assert "FANARCHIVE_HOME" in names and "DATABASE_URL" in names
    documented = (ROOT / "docs" / "settings.md").read_text()
    assert sorted(n for n in names if f"`{n}`" not in documented) == []


def test_every_command_is_in_the_readme_and_has_help() -> None:
    readme = (ROOT / "README.md").read_text()
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    names = list(subparsers.choices)  # type: ignore[attr-defined]
    assert len(names) == len(COMMANDS)
    assert {"serve", "import", "parse", "export", "search", "reindex"} <= set(names)
    for name in names:
        assert f"`fanarchive {name}" in readme, name
        assert subparsers.choices[name].description, name  # type: ignore[attr-defined]


def _route_patterns() -> list[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: list[object], prefix: str) -> list[str]:
        found: list[str] = []
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if str(entry.pattern).startswith("admin/"):
                    found.append("/admin/")
                    continue
                found += walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.append("/" + prefix + str(entry.pattern))
        return found

    return walk(get_resolver().url_patterns, "")


def test_every_route_is_documented() -> None:
    documented = (ROOT / "docs" / "urls.md").read_text()
    missing = []
    for route in sorted(set(_route_patterns())):
        # A regular-expression route (allauth's) is written as its path would be: `(?P<key>…)` → `<key>`.
        shape = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route).replace("^", "").replace("$", "")
        shape = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", shape)
        shape = (
            shape.replace("<work_id>", "<id>").replace("<series_id>", "<id>").replace("<tag_name>", "<tag>")
        )
        shape = shape.replace("<position>", "<n>").replace("<filename>", "<Title>.<ext>")
        if f"`{shape}" not in documented:
            missing.append(shape)
    assert missing == []
