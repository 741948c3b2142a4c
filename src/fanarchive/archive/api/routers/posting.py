"""Posting (scope `write`): works and chapters created, changed, posted and deleted, as on the
site. The JSON is fed to the site's own forms (WorkForm, ChapterForm) and the posting actions, so
the API accepts, refuses and stores exactly what the pages do. A work is reached through
access_own_work: someone else's work answers 404, like one that does not exist."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from fanarchive.archive.access import access_own_work
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.chapters import (
    ChapterText,
    check_delete_chapter,
    do_add_chapter,
    do_delete_chapter,
    do_edit_chapter,
    do_post_chapter,
)
from fanarchive.archive.actions.posting import do_create_work, do_post_work, do_update_work
from fanarchive.archive.actions.works import do_delete_work
from fanarchive.archive.api.auth import require_scope
from fanarchive.archive.api.errors import ERRORS, Problem, problem
from fanarchive.archive.api.routers import reading as reading_routes
from fanarchive.archive.api.routers import works as works_routes
from fanarchive.archive.api.schemas.ids import path_id
from fanarchive.archive.api.schemas.posting import (
    ChapterIn,
    ChapterPatch,
    ChapterRef,
    WorkIn,
    WorkPatch,
    WorkRef,
)
from fanarchive.archive.feeds import links
from fanarchive.archive.imports.drafts import DraftRefused, draft_from_upload
from fanarchive.archive.models import Chapter, User, Work
from fanarchive.archive.web.forms.work import WorkForm, initial_for
from fanarchive.archive.web.views.chapters_edit import ChapterForm
from fanarchive.domain.authored_text import HTML, authored_html

router = Router(tags=["posting"])
# Paths the reading routers serve already get their write methods on those same routers: django-ninja
# makes one URL per path and router, so a second router's /works/{work_id} would never be reached.
_works, _work = works_routes.router, reading_routes.router
TAGS = ["posting"]

# Rich-text fields: sent in Markdown they are made HTML first, so that fields left out of a PATCH
# (stored as HTML) and fields sent (in Markdown) go through the form together as HTML.
_WORK_TEXTS = ("summary", "notes", "end_notes", "chapter_text")
_CHAPTER_TEXTS = ("summary", "notes", "end_notes", "body")
_TAG_LISTS = ("fandoms", "relationships", "characters", "freeforms")


class FormRefused(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in errors))
        self.errors = errors


def _refused(form_errors: Mapping[str, Sequence[str]]) -> FormRefused:
    return FormRefused(
        [
            {"loc": ["body", field], "msg": message}
            for field, messages in form_errors.items()
            for message in messages
        ]
    )


def _messages(form: Form) -> dict[str, list[str]]:
    # "__all__" is the form's own error (one not of a field), as Django names it.
    return {field: [e["message"] for e in errors] for field, errors in form.errors.get_json_data().items()}


def _as_html(values: dict[str, Any], fields: tuple[str, ...], text_format: str | None) -> None:
    if text_format and text_format != HTML:
        for name in fields:
            if isinstance(values.get(name), str):
                try:
                    values[name] = authored_html(values[name], text_format)
                except ValueError as error:
                    raise _refused({name: [str(error)]}) from None


def _work_form_data(sent: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The form's POST data: the work as it is (`current`) with what was sent laid over it."""
    data = {**current, **{key: value for key, value in sent.items() if value is not None}}
    if "series_id" in data:
        data["series"] = data.pop("series_id")
    for name in _TAG_LISTS:
        if isinstance(data.get(name), list):
            data[name] = ", ".join(data[name])
    if isinstance(data.get("cocreators"), list):
        data["cocreators"] = ", ".join(data["cocreators"])
    data["series"] = data.get("series") or ""
    data["text_format"] = HTML
    return data


def _save_work(request: HttpRequest, user: User, body: WorkPatch, work: Work | None) -> Work:
    sent = body.dict(exclude={"post"})
    _as_html(sent, _WORK_TEXTS, body.text_format)
    if work is None:
        default = user.default_pseud() or do_ensure_default_pseud(user)
        current: dict[str, Any] = {"pseuds": [default.pk], "comment_permission": "anyone"}
        with_chapter = True
    else:
        current = initial_for(work, user)
        with_chapter = work.chapters.count() == 1
    form = WorkForm(
        _work_form_data(sent, current),
        user=user,
        host=request.get_host(),
        with_chapter=with_chapter,
        new=work is None,
    )
    if form.is_valid():
        fields = form.work_fields()
        if form.is_valid():  # the associations are checked when the fields are built
            if work is None:
                return do_create_work(user, fields, post=body.post)
            return do_update_work(work, user, fields, post=body.post)
    raise _refused(_messages(form))


def _work_ref(work: Work) -> dict[str, Any]:
    work.refresh_from_db(fields=["posted", "title"])
    return {"id": work.pk, "title": work.title, "posted": work.posted, "url": links.work_url(work.pk)}


def _answer_refusal(error: Exception) -> HttpResponse:
    if isinstance(error, FormRefused):
        return problem(422, "The work was not saved: " + str(error), errors=error.errors)
    return problem(400, str(error))


@_works.post(
    "/works", tags=TAGS, response={201: WorkRef, 400: Problem, **ERRORS}, summary="Post or draft a new work"
)
def create_work(request: HttpRequest, body: WorkIn) -> Any:
    """The New Work form's fields; `text_format` says whether texts are HTML or Markdown. With
    `post` the work goes up at once and subscribers hear of it; otherwise it is a draft."""
    user = require_scope(request, "write")
    try:
        return Status(201, _work_ref(_save_work(request, user, body, None)))
    except (FormRefused, ActionError) as error:
        return _answer_refusal(error)


@_works.post(
    tags=TAGS,
    path="/works/upload",
    response={201: WorkRef, 400: Problem, **ERRORS},
    summary="A draft from an uploaded file",
)
def upload_work(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """One work in any format the archive reads (DOCX, ODT, EPUB, HTML, Markdown, text, work JSON),
    read in the import's limited worker, becomes your draft, as at /works/new/upload."""
    user = require_scope(request, "write")
    try:
        work_id = draft_from_upload(user, file)
    except DraftRefused as error:
        raise HttpError(400, str(error)) from None
    return Status(201, _work_ref(Work.objects.get(pk=work_id)))


@_work.patch(
    "/works/{work_id}",
    tags=TAGS,
    response={200: WorkRef, 400: Problem, **ERRORS},
    summary="Change one of your works",
)
def update_work(request: HttpRequest, work_id: int, body: WorkPatch) -> Any:
    """Only the fields sent change. `post: true` posts a draft. The text of a work of several
    chapters is changed chapter by chapter."""
    user = require_scope(request, "write")
    work = access_own_work(user, work_id)
    try:
        return _work_ref(_save_work(request, user, body, work))
    except (FormRefused, ActionError) as error:
        return _answer_refusal(error)


@router.post(
    "/works/{work_id}/post",
    response={200: WorkRef, 400: Problem, **ERRORS},
    summary="Post one of your drafts",
)
def post_work(request: HttpRequest, work_id: int) -> Any:
    user = require_scope(request, "write")
    work = access_own_work(user, work_id)
    try:
        do_post_work(work, user)
    except ActionError as error:
        raise HttpError(400, str(error)) from None
    return _work_ref(work)


@_work.delete(
    "/works/{work_id}", tags=TAGS, response={204: None, **ERRORS}, summary="Delete one of your works"
)
def delete_work(request: HttpRequest, work_id: int) -> Status[None]:
    do_delete_work(access_own_work(require_scope(request, "write"), work_id))
    return Status(204, None)


def _own_chapter(request: HttpRequest, work_id: int, position: int) -> tuple[Work, Chapter]:
    work = access_own_work(require_scope(request, "write"), work_id)
    chapter = work.chapters.filter(position=position).first()
    if chapter is None:
        raise Http404("No such chapter")
    return work, chapter


def _chapter_text(sent: dict[str, Any], current: dict[str, Any]) -> ChapterText:
    _as_html(sent, _CHAPTER_TEXTS, sent.get("text_format"))
    data = {
        **current,
        **{key: value for key, value in sent.items() if value is not None},
        "text_format": HTML,
    }
    form = ChapterForm(data)
    if not form.is_valid():
        raise _refused(_messages(form))
    clean = form.cleaned_data
    return ChapterText(
        body=clean["body"],
        title=clean["title"],
        summary=clean["summary"],
        notes=clean["notes"],
        end_notes=clean["end_notes"],
        text_format=HTML,
    )


def _chapter_ref(chapter: Chapter) -> dict[str, Any]:
    chapter.refresh_from_db(fields=["posted", "position", "title"])
    return {
        "id": chapter.pk,
        "work_id": chapter.work_id,
        "position": chapter.position,
        "title": chapter.title,
        "posted": chapter.posted,
        "url": links.chapter_url(chapter.work_id, chapter.position),
    }


@router.post(
    "/works/{work_id}/chapters",
    response={201: ChapterRef, 400: Problem, **ERRORS},
    summary="Add a chapter to one of your works",
)
def add_chapter(request: HttpRequest, work_id: int, body: ChapterIn) -> Any:
    """A new last chapter; with `post` it goes up (and subscribers hear of it if the work is
    posted), otherwise it is a chapter draft."""
    work = access_own_work(require_scope(request, "write"), work_id)
    try:
        text = _chapter_text(body.dict(exclude={"post"}), {})
        return Status(201, _chapter_ref(do_add_chapter(work, text, posted=body.post)))
    except (FormRefused, ActionError) as error:
        return _answer_refusal(error)


@_work.patch(
    "/works/{work_id}/chapters/{position}",
    tags=TAGS,
    response={200: ChapterRef, 400: Problem, **ERRORS},
    summary="Change a chapter of one of your works",
)
def edit_chapter(request: HttpRequest, work_id: int, body: ChapterPatch, position: int = path_id()) -> Any:
    _work, chapter = _own_chapter(request, work_id, position)
    current = {
        "body": chapter.body,
        "title": chapter.title,
        "summary": chapter.summary,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
    }
    try:
        do_edit_chapter(chapter, _chapter_text(body.dict(exclude={"post"}), current))
        if body.post and not chapter.posted:
            do_post_chapter(chapter)
    except (FormRefused, ActionError) as error:
        return _answer_refusal(error)
    return _chapter_ref(chapter)


@_work.delete(
    "/works/{work_id}/chapters/{position}",
    tags=TAGS,
    response={204: None, 400: Problem, **ERRORS},
    summary="Delete a chapter of one of your works",
)
def delete_chapter(request: HttpRequest, work_id: int, position: int = path_id()) -> Status[None]:
    _work, chapter = _own_chapter(request, work_id, position)
    try:
        check_delete_chapter(chapter)
    except ActionError as error:
        raise HttpError(400, str(error)) from None
    do_delete_chapter(chapter)
    return Status(204, None)
