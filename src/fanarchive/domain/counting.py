"""Counts in words people read: "1 work", "2 works", never "1 works"."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """The number and the noun in the form it takes; `plural` for nouns not made with an -s."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
