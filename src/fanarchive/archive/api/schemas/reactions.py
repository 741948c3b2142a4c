"""Kudos, comments and bookmarks left through the API, and subscriptions and exclusions."""

from __future__ import annotations

from ninja import Field, Schema

from fanarchive.archive.api.schemas.ids import RowId
from fanarchive.archive.web.forms.exclusions import MAX_WORDS


class KudosLeft(Schema):
    counted: bool = Field(..., description="False when you had left kudos on this work already")


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=10_000)
    chapter: int | None = Field(
        None, ge=1, description="The chapter's position (a comment on the work otherwise)"
    )
    parent_id: int | None = Field(None, ge=1, description="The comment this replies to")


class CommentEdit(Schema):
    body: str = Field(..., min_length=1, max_length=10_000)


class CommentRef(Schema):
    id: int
    work_id: int
    parent_id: int | None
    approved: bool = Field(..., description="False while held for the creators' approval")
    url: str


class BookmarkIn(Schema):
    work_id: int | None = Field(None, ge=1)
    series_id: int | None = Field(None, ge=1, description="Give work_id or series_id")
    notes: str = Field("", max_length=5000)
    tags: list[str] = Field(default_factory=list, description="Your own tags for it")
    private: bool = False
    rec: bool = Field(False, description="A recommendation")
    pseud_id: RowId | None = Field(None, description="One of your pseuds (the default one otherwise)")


class BookmarkPatch(Schema):
    notes: str | None = Field(None, max_length=5000)
    tags: list[str] | None = None
    private: bool | None = None
    rec: bool | None = None


class BookmarkRef(Schema):
    id: int
    work_id: int | None
    series_id: int | None
    notes: str
    tags: list[str]
    private: bool
    rec: bool


class SubscriptionIn(Schema):
    work_id: int | None = Field(None, ge=1)
    series_id: int | None = Field(None, ge=1)
    tag: str | None = Field(None, max_length=150, description="A tag's name")
    username: str | None = Field(None, max_length=150, description="A creator to follow")


class SubscriptionOut(Schema):
    id: int
    kind: str = Field(..., description="work, series, tag or creator")
    work_id: int | None
    series_id: int | None
    tag: str | None
    username: str | None


class Exclusions(Schema):
    tags: list[str] = Field(..., description="Tags whose works you never see in listings")
    muted: list[str] = Field(..., description="Users whose works and comments you never see")
    languages: list[str]
    crossovers: bool = Field(..., description="Whether crossovers are shown")
    words_from: int | None
    words_to: int | None


class ExclusionPreferences(Schema):
    """The Exclusions page's bounds (its form's MAX_WORDS): a database column holds no more."""

    languages: list[str] = Field(default_factory=list, max_length=200)
    crossovers: bool = True
    words_from: int | None = Field(None, ge=0, le=MAX_WORDS)
    words_to: int | None = Field(None, ge=0, le=MAX_WORDS)


class NamedTarget(Schema):
    name: str = Field(..., min_length=1, max_length=150)
