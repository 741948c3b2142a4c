"""A fandom given at import time (`fanarchive import --fandom`, the staff import form) for sources
that never name one: most eFiction archives and FFN-mirror pages hold a single fandom and say so
nowhere in their files."""

from __future__ import annotations

from fanarchive.domain.tags import TagKind
from fanarchive.domain.work import ParsedWork

# A tag's name is at most this long in the archive (archive.models Tag.name).
MAX_FANDOM_LENGTH = 150


def check_fandom_name(name: str) -> str:
    """The name as it will be stored, or ValueError saying why it cannot be a fandom."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValueError("the fandom name is empty")
    if len(cleaned) > MAX_FANDOM_LENGTH:
        raise ValueError(f"the fandom name is longer than {MAX_FANDOM_LENGTH} characters")
    return cleaned


def apply_default_fandom(work: ParsedWork, fandom: str) -> None:
    """Tags `work` with `fandom` when its source named none, with a doubt saying where it came
    from; a work whose source names its fandoms keeps exactly those."""
    if work.tags_of(TagKind.FANDOM):
        return
    work.add_tag(TagKind.FANDOM, fandom)
    work.doubts.append(f"The source names no fandom; {fandom!r} was given at import (--fandom).")
