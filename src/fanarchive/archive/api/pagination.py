"""Opaque cursors: pages stable under inserts, unlike page numbers.

A works cursor is a signed (so it cannot be forged into another query) token holding the listing's
filters, the next page's number and the ids of the works on the page before. Works inserted ahead
since then push the listing down by as many places, so the last works of the page before come back
at the top of the next one: every id the page before held is dropped from it, so a client never
sees a work twice, and never misses one because of an insert. (A deletion ahead shifts the other
way and can skip a work, as any offset listing would.) Comments and bookmarks page by id instead.
"""

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
    sent: tuple[int, ...]  # the ids of the page before (for a keyset page: its last id)


def encode_cursor(cursor: Cursor) -> str:
    return signing.dumps([cursor.params, cursor.page, list(cursor.sent)], salt=_SALT, compress=True)


def decode_cursor(text: str) -> Cursor:
    try:
        params, page, sent = signing.loads(text, salt=_SALT)
        return Cursor([(str(k), str(v)) for k, v in params], int(page), tuple(int(i) for i in sent))
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise HttpError(422, "The cursor is not one this API gave out.") from error


def unseen(ids: list[int], sent: tuple[int, ...]) -> list[int]:
    """The ids of this page the page before did not hold (inserts pushed those down to here)."""
    before = set(sent)
    return [i for i in ids if i not in before]


def keyset_page(rows: QuerySet[_Row], cursor: str | None, limit: int) -> tuple[list[_Row], str | None]:
    """A page of `rows` newest first by id, after the cursor's last id: inserts land before the
    first page, so they never shift a later one."""
    if cursor:
        sent = decode_cursor(cursor).sent
        if not sent:
            raise HttpError(422, "The cursor is not one this API gave out.")
        rows = rows.filter(pk__lt=sent[-1])
    found = list(rows.order_by("-pk")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return found, encode_cursor(Cursor([], 0, (found[-1].pk,))) if more else None
