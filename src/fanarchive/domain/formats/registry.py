"""Finds parsers: every module in this package with a PARSERS list, in name order. A plugin's
parsers would come in through the same `register` call the built-ins use."""

from __future__ import annotations

import functools
import importlib
import pkgutil

from fanarchive.domain import formats
from fanarchive.domain.formats.base import Parser

_NOT_PARSER_MODULES = frozenset({"base", "registry", "detect"})
_extra: list[Parser] = []


def register(parser: Parser) -> None:
    _extra.append(parser)


def all_parsers() -> list[Parser]:
    return [*_built_in_parsers(), *_extra]


@functools.cache
def _built_in_parsers() -> tuple[Parser, ...]:
    # Found once a process: listing the package's directory on every file was 12% of parsing.
    parsers: list[Parser] = []
    for module_info in sorted(pkgutil.iter_modules(formats.__path__), key=lambda m: m.name):
        if module_info.name in _NOT_PARSER_MODULES or module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{formats.__name__}.{module_info.name}")
        parsers.extend(getattr(module, "PARSERS", []))
    return tuple(parsers)


def parser_named(name: str) -> Parser:
    for parser in all_parsers():
        if parser.name == name:
            return parser
    known = ", ".join(sorted(p.name for p in all_parsers()))
    raise KeyError(f"unknown format {name!r} (known: {known})")
