"""Opaque cursors for the works listing: stable under inserts, unlike page numbers.

A cursor is a signed (so it cannot be forged into another query) token holding the listing's
filters, the next page's number and the id of the last work already sent (the anchor). Works
inserted ahead of the anchor since the last page push the page's start down by as many places:
the anchor and what precedes it then reappear at the top of the next page, and are dropped, so a
client never sees a work twice and never misses one because of an insert. (A deletion ahead
shifts the other way and can skip a work, as any offset listing would.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.core import signing
from django.db.models import Model, QuerySet
from ninja.errors import HttpError
from ninja.params import functions as param

from fanarchive.domain.query import MAX_PER_PAGE
from fanarchive.domain.visibility import MAX_ROW_ID

_SALT = "fanarchive.api.cursor"
_Row = TypeVar("_Row", bound=Model)
# Ids past a database integer are refused as parameters (422) before any query sees them.
ROW_ID = param.Path(..., ge=1, le=MAX_ROW_ID)
PER_PAGE = param.Query(50, ge=1, le=MAX_PER_PAGE)


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


def keyset_page(rows: QuerySet[_Row], cursor: str | None, limit: int) -> tuple[list[_Row], str | None]:
    """A page of `rows` newest first by id, after the cursor's last id: inserts land before the
    first page, so they never shift a later one."""
    if cursor:
        rows = rows.filter(pk__lt=decode_cursor(cursor).anchor)
    found = list(rows.order_by("-pk")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return found, encode_cursor(Cursor([], 0, found[-1].pk)) if more else None
