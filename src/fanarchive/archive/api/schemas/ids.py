"""Row ids as the write endpoints take them: bounded to what a database integer holds, so an id
past it is a 422 naming the field rather than an OverflowError from the driver."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field
from ninja.params.functions import Path

from fanarchive.domain.visibility import MAX_ROW_ID

RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


def path_id() -> Any:
    return Path(..., ge=1, le=MAX_ROW_ID)
