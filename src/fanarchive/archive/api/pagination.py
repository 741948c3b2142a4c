"""Opaque cursors for the works listing: stable under inserts, unlike page numbers.

A cursor is a signed (so it cannot be forged into another query) token holding the listing's
filters, the next page's number and the id of the last work already sent (the anchor). Works
inserted ahead of the anchor since the last page push the page's start down by as many places:
the anchor and what precedes it then reappear at the top of the next page, and are dropped, so a
client never sees a work twice and never misses one because of an insert. (A deletion ahead
shifts the other way and can skip a work, as any offset listing would.)"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from ninja.errors import HttpError

_SALT = "fanarchive.api.cursor"


@dataclass(frozen=True)
class Cursor:
    params: list[tuple[str, str]]  # the listing's query parameters, page excluded
    page: int
    anchor: int  # the last work id of the page before


def encode_cursor(cursor: Cursor) -> str:
    return signing.dumps([cursor.params, cursor.page, cursor.anchor], salt=_SALT, compress=True)


def decode_cursor(text: str) -> Cursor:
    try:
        params, page, anchor = signing.loads(text, salt=_SALT)
        return Cursor([(str(k), str(v)) for k, v in params], int(page), int(anchor))
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise HttpError(422, "The cursor is not one this API gave out.") from error


def after_anchor(ids: list[int], anchor: int | None) -> int:
    """How many of a page's first ids to drop: through the anchor, when inserts pushed it here."""
    if anchor is None or anchor not in ids:
        return 0
    return ids.index(anchor) + 1
