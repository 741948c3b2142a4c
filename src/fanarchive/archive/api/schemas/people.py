"""Users, their pseuds, and bookmarks."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from fanarchive.archive.models import Bookmark


class PseudOut(Schema):
    name: str
    is_default: bool
    description_html: str
    works: int = Field(description="Works credited to it that the caller may see")


class SeriesRefOut(Schema):
    id: int
    title: str


class UserOut(Schema):
    username: str
    pseuds: list[PseudOut]
    works: int = Field(description="Works the caller may see that credit this user")
    series: list[SeriesRefOut]
    bookmarks: int


class ExternalOut(Schema):
    title: str
    url: str
    creator: str


class BookmarkOut(Schema):
    id: int
    pseud: str
    username: str
    work_id: int | None
    series_id: int | None
    external: ExternalOut | None
    notes_html: str
    rec: bool
    private: bool
    tags: list[str]
    created_at: dt.datetime

    @staticmethod
    def of(bookmark: Bookmark) -> BookmarkOut:
        external = bookmark.external
        return BookmarkOut(
            id=bookmark.pk,
            pseud=bookmark.pseud.name,
            username=bookmark.pseud.user.username,
            work_id=bookmark.work_id,
            series_id=bookmark.series_id,
            external=ExternalOut(title=external.title, url=external.url, creator=external.creator)
            if external
            else None,
            notes_html=bookmark.notes,
            rec=bookmark.rec,
            private=bookmark.private,
            tags=[tag.name for tag in bookmark.tags.all()],
            created_at=bookmark.created_at,
        )


class BookmarkPage(Schema):
    items: list[BookmarkOut]
    next_cursor: str | None
