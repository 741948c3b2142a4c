"""Reading one work: its metadata and chapters (HTML or plain text), one chapter, its comments and
its kudos. Each goes through access_work first: a draft, a hidden work or a deleted one answers
the same 404 as a number never used."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params import functions as param

from fanarchive.archive.access import (
    access_chapter,
    access_work,
    kudos_from,
    visible_chapters,
    visible_comments,
)
from fanarchive.archive.api.auth import PUBLIC_READ, viewer
from fanarchive.archive.api.errors import ERRORS
from fanarchive.archive.api.etags import etagged
from fanarchive.archive.api.pagination import PER_PAGE, ROW_ID, keyset_page
from fanarchive.archive.api.schemas.reading import (
    ChapterText,
    CommentOut,
    CommentPage,
    KudosCount,
    TextFormat,
    WorkDetail,
)
from fanarchive.archive.api.schemas.works import WorkSummary
from fanarchive.archive.web.blurbs import build_blurbs

router = Router(tags=["works"])


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/works/{work_id}",
    response={200: WorkDetail, 304: None, **ERRORS},
    summary="A work",
)
def get_work(
    request: HttpRequest,
    work_id: int = ROW_ID,
    format: TextFormat = "html",
    text: bool = param.Query(False, description="Include every chapter's text (else metadata only)"),
) -> HttpResponse:
    who = viewer(request)
    work = access_work(who, work_id)
    blurb = build_blurbs([work])[0]
    chapters = [ChapterText.of(c, format, with_body=text) for c in visible_chapters(work)]
    body = WorkDetail(
        **WorkSummary.of(blurb).model_dump(),
        notes_html=work.notes,
        end_notes_html=work.end_notes,
        chapters=chapters,
    )
    return etagged(request, body)


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/works/{work_id}/chapters/{position}",
    response={200: ChapterText, 304: None, **ERRORS},
    summary="One chapter of a work, with its text",
)
def get_chapter(
    request: HttpRequest,
    work_id: int = ROW_ID,
    position: int = ROW_ID,
    format: TextFormat = "html",
) -> HttpResponse:
    who = viewer(request)
    chapter = access_chapter(who, access_work(who, work_id), position)
    return etagged(request, ChapterText.of(chapter, format))


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/works/{work_id}/kudos",
    response={200: KudosCount, 304: None, **ERRORS},
    summary="A work's kudos",
)
def get_kudos(request: HttpRequest, work_id: int = ROW_ID) -> HttpResponse:
    who = viewer(request)
    work = access_work(who, work_id)
    users, guests = kudos_from(who, work)
    return etagged(request, KudosCount(total=len(users) + guests, users=users, guests=guests))


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/works/{work_id}/comments",
    response={200: CommentPage, 304: None, **ERRORS},
    summary="A work's comments, newest first",
)
def get_comments(
    request: HttpRequest,
    work_id: int = ROW_ID,
    cursor: str | None = None,
    per_page: int = PER_PAGE,
) -> HttpResponse:
    who = viewer(request)
    work = access_work(who, work_id)
    rows = visible_comments(who, work).select_related("pseud__user", "chapter")
    found, next_cursor = keyset_page(rows, cursor, per_page)
    return etagged(request, CommentPage(items=[CommentOut.of(c) for c in found], next_cursor=next_cursor))
