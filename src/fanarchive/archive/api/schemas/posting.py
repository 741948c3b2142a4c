"""Posting and editing works and chapters: the New Work form's fields as JSON, validated by that
same form (archive/web/forms/work.py), so the API accepts exactly what the site accepts."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from fanarchive.archive.api.schemas.ids import RowId

TextFormat = Literal["html", "markdown"]
CommentPermission = Literal["anyone", "users", "nobody"]


class WorkPatch(Schema):
    """Fields to change; what is left out keeps its value (tags are replaced per kind as a whole)."""

    title: str | None = Field(None, max_length=255)
    rating: str | None = None
    warnings: list[str] | None = None
    fandoms: list[str] | None = None
    categories: list[str] | None = None
    relationships: list[str] | None = None
    characters: list[str] | None = None
    freeforms: list[str] | None = None
    pseuds: list[RowId] | None = Field(
        None, description="Ids of your pseuds credited (default: your default pseud)"
    )
    cocreators: list[str] | None = Field(None, description='Pseuds to invite, "pseud (user)" when ambiguous')
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    series_id: RowId | None = Field(None, description="One of your series")
    new_series_title: str | None = None
    inspired_by: str | None = Field(None, description="/works/<id> here, or a web address")
    translation_of: str | None = None
    language: str | None = None
    restricted: bool | None = None
    comment_permission: CommentPermission | None = None
    moderate_comments: bool | None = None
    text_format: TextFormat | None = Field(
        None, description="How summary, notes and chapter_text are written"
    )
    chapter_title: str | None = Field(None, max_length=255)
    chapter_text: str | None = Field(None, description="The text of a one-chapter work")
    post: bool = Field(False, description="Post the work now (a draft otherwise)")


class WorkIn(WorkPatch):
    title: str = Field(..., max_length=255)
    rating: str
    warnings: list[str]
    fandoms: list[str]
    chapter_text: str
    multichapter: bool = False
    expected_chapters: int | None = Field(None, ge=1, le=10_000)


class ChapterIn(Schema):
    body: str
    title: str = Field("", max_length=255)
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    text_format: TextFormat = "html"
    post: bool = Field(False, description="Post the chapter now (a draft chapter otherwise)")


class ChapterPatch(Schema):
    body: str | None = None
    title: str | None = Field(None, max_length=255)
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    text_format: TextFormat | None = None
    post: bool = Field(False, description="Post the chapter if it is a draft")


class WorkRef(Schema):
    id: int
    title: str
    posted: bool
    url: str


class ChapterRef(Schema):
    id: int
    work_id: int
    position: int
    title: str
    posted: bool
    url: str
