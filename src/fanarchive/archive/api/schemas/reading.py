"""A work as read: its metadata, chapters (their text as HTML or plain text), comments, kudos."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from fanarchive.archive.api.schemas.works import WorkSummary
from fanarchive.archive.models import Chapter, Comment
from fanarchive.domain.text import html_to_text

TextFormat = Literal["html", "plain"]


def _as(text: str, form: TextFormat) -> str:
    return text if form == "html" else html_to_text(text)


class ChapterText(Schema):
    position: int
    title: str
    words: int
    published: dt.date | None
    format: TextFormat
    summary: str
    notes: str
    end_notes: str
    body: str | None = Field(description="The chapter's text, when asked for")

    @staticmethod
    def of(chapter: Chapter, form: TextFormat, *, with_body: bool = True) -> ChapterText:
        return ChapterText(
            position=chapter.position,
            title=chapter.title,
            words=chapter.word_count,
            published=chapter.published,
            format=form,
            summary=_as(chapter.summary, form),
            notes=_as(chapter.notes, form),
            end_notes=_as(chapter.end_notes, form),
            body=_as(chapter.body, form) if with_body else None,
        )


class WorkDetail(WorkSummary):
    notes_html: str
    end_notes_html: str
    chapters: list[ChapterText]


class KudosCount(Schema):
    total: int
    users: list[str] = Field(description="User names of the members who left kudos, oldest first")
    guests: int


class CommentOut(Schema):
    id: int
    parent_id: int | None
    chapter: int | None = Field(description="The chapter's position, when on one chapter")
    author: str | None = Field(description="Pseud name, or the guest's name; null once deleted")
    username: str | None
    body_html: str
    created_at: dt.datetime
    edited_at: dt.datetime | None
    deleted: bool

    @staticmethod
    def of(comment: Comment) -> CommentOut:
        pseud = comment.pseud
        gone = comment.deleted
        return CommentOut(
            id=comment.pk,
            parent_id=comment.parent_id,
            chapter=comment.chapter.position if comment.chapter else None,
            author=None if gone else (pseud.name if pseud else comment.guest_name or None),
            username=None if gone or pseud is None else pseud.user.username,
            body_html="" if gone else comment.body,
            created_at=comment.created_at,
            edited_at=comment.edited_at,
            deleted=gone,
        )


class CommentPage(Schema):
    items: list[CommentOut]
    next_cursor: str | None
