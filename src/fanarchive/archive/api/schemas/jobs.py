"""Import and export jobs as the API shows them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema


class ExportRequest(Schema):
    work_id: int = Field(..., ge=1)
    format: str = Field("epub", max_length=10, description="epub, pdf, html, txt; azw3 and mobi with calibre")


class Job(Schema):
    id: str = Field(..., description="The job's opaque id")
    kind: Literal["import", "export"]
    status: Literal["queued", "running", "done", "failed"]
    created_at: dt.datetime
    finished_at: dt.datetime | None
    request: dict[str, Any] = Field(
        ..., description="What was asked: file names (import), work and format (export)"
    )
    outcome: dict[str, Any] = Field(
        ...,
        description="Import: files, counts and each file's outcome (as `fanarchive import --report`); "
        "export: work_id, format, media_type, size; failed: error",
    )
    url: str = Field(..., description="Where to poll this job")
    file_url: str | None = Field(None, description="An export's file, once done")
