"""JSON from an upload, read within the reader limits: numbers no longer than a count or a date
needs, nesting no deeper than max_depth, and escapes of lone surrogates (which no database or
encoder takes) read as U+FFFD."""

from __future__ import annotations

import json
import re
from typing import Any

from fanarchive.domain.formats.base import ParseError
from fanarchive.domain.limits import DEFAULT_LIMITS, LimitExceeded, ReaderLimits, bounded_int

# A \\uD800-\\uDBFF escape not followed by a \\uDC00-\\uDFFF one, or the reverse: half a character.
# The (?<!\\\\) keeps an escaped backslash followed by "ud800" as the text it is.
_LONE_SURROGATE = re.compile(
    r"(?<!\\)((?:\\\\)*)(?:\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)

# Any escape of a surrogate, paired or not: text without one (nearly all) skips the lookbehinds.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _depth(data: Any) -> int:
    """The deepest nesting of arrays and objects in parsed JSON, walked with a stack of its own
    rather than recursion. Measured on the parsed value, not on the text: a work's JSON is mostly
    long strings, which a scan of the text must read through, and a walk of the value never does."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in value if isinstance(child, (dict, list)))
    return deepest


def load_json(text: str, limits: ReaderLimits = DEFAULT_LIMITS) -> Any:
    if _SURROGATE_ESCAPE.search(text):
        text = _LONE_SURROGATE.sub(lambda m: m.group(1) + "\\ufffd", text)
    try:
        data = json.loads(
            text,
            parse_int=lambda digits: bounded_int(digits, limits),
            parse_constant=lambda name: _refuse_constant(name),
        )
    except json.JSONDecodeError as error:
        raise ParseError(f"not valid JSON: {error}") from None
    except RecursionError:  # json's C scanner recurses once a level, to the interpreter's limit
        raise LimitExceeded("max_depth", limits.max_depth, "the JSON is nested too deeply") from None
    # Measured on the value json built: the same nesting as the text's, strings left out.
    if _depth(data) > limits.max_depth:
        raise LimitExceeded("max_depth", limits.max_depth, "the JSON is nested too deeply")
    return data


def _refuse_constant(name: str) -> float:
    # NaN and Infinity are not JSON; as counts or timestamps they overflow or compare wrongly.
    raise ParseError(f"not valid JSON: {name} is not a number JSON allows")
