"""Import and export jobs: POST files (or a zip) to /imports and poll the per-file outcome; POST a
work and format to /exports and get the file at once (small, quick formats) or a job to poll."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from fanarchive.archive.access import access_work
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.api_jobs import (
    DONE,
    check_export,
    do_create_export_job,
    do_create_import_job,
    export_file,
)
from fanarchive.archive.api.auth import require_scope, viewer
from fanarchive.archive.api.errors import ERRORS, Problem
from fanarchive.archive.api.schemas.jobs import ExportRequest, Job
from fanarchive.archive.exports.cache import open_download
from fanarchive.archive.models import ApiJob, User
from fanarchive.archive.tasks import run_api_job_task
from fanarchive.archive.web.views.downloads import download_filename
from fanarchive.domain.exports import EXPORT_FORMATS

router = Router(tags=["jobs"])

# Made in the request: formats written in well under a second, for works of up to this many words.
# A PDF (or a very long work) is a job, so no request holds a worker for a minute.
INLINE_FORMATS = frozenset({"epub", "html", "txt"})
INLINE_MAX_WORDS = 200_000

_FILE_CONTENT = {
    fmt.media_type: {"schema": {"type": "string", "format": "binary"}} for fmt in EXPORT_FORMATS.values()
}
_FILE_RESPONSE: dict[str, Any] = {"responses": {"200": {"description": "The file", "content": _FILE_CONTENT}}}


def _job_out(request: HttpRequest, job: ApiJob) -> dict[str, Any]:
    name = "import_status" if job.kind == "import" else "export_status"
    file_url = None
    if job.kind == "export" and job.status == DONE:
        file_url = request.build_absolute_uri(reverse("api-1:export_file", args=[job.public_id]))
    return {
        "id": job.public_id,
        "kind": job.kind,
        "status": job.status,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "request": job.request,
        "outcome": job.outcome,
        "url": request.build_absolute_uri(reverse(f"api-1:{name}", args=[job.public_id])),
        "file_url": file_url,
    }


def _own_job(user: User, public_id: str, kind: str) -> ApiJob:
    job = ApiJob.objects.filter(public_id=public_id, user=user, kind=kind).first()
    if job is None:  # someone else's job is as missing as one that never was
        raise Http404("No such job")
    return job


@router.post(
    "/imports",
    response={202: Job, 400: Problem, **ERRORS},
    url_name="imports",
    summary="Import uploaded files or a zip",
)
def create_import(
    request: HttpRequest,
    files: File[list[UploadedFile]],
    owner: Form[str | None] = None,
) -> Status[dict[str, Any]]:
    """Staff and archivists (scope `import`): the files are imported as `fanarchive import` imports
    a folder (zips opened, each file read in a limited worker, each work stored on its own). With
    `owner` every work goes to that account; else bylines become claimable imported accounts.
    Answers 202 with the job; poll its `url` for each file's outcome."""
    user = require_scope(request, "import")
    owner_account = None
    if owner:
        owner_account = User.objects.filter(username=owner, imported=False, is_active=True).first()
        if owner_account is None:
            raise HttpError(400, f"No account named {owner!r}.")
    try:
        job = do_create_import_job(user, files, owner=owner_account)
    except PermissionError as error:
        raise HttpError(403, str(error)) from None
    except ActionError as error:
        raise HttpError(400, str(error)) from None
    run_api_job_task(job.public_id)
    job.refresh_from_db()
    return Status(202, _job_out(request, job))


@router.get(
    "/imports/{job_id}", response={200: Job, **ERRORS}, url_name="import_status", summary="An import job"
)
def import_status(request: HttpRequest, job_id: str) -> dict[str, Any]:
    user = require_scope(request, "import")
    return _job_out(request, _own_job(user, job_id, "import"))


@router.post(
    "/exports",
    response={202: Job, 400: Problem, **ERRORS},
    url_name="exports",
    summary="Export a work as EPUB, PDF, HTML, TXT, AZW3 or MOBI",
    openapi_extra=_FILE_RESPONSE,
)
def create_export(request: HttpRequest, body: ExportRequest) -> Any:
    """The file itself (200) for EPUB, HTML and TXT of works up to 200,000 words, the same file as
    the work page's download link; otherwise a job (202) whose `file_url` serves it once done.
    Anonymous callers get public works' files at once; a job needs an account."""
    reader = viewer(request)
    work = access_work(reader, body.work_id)
    try:
        name = check_export(work, body.format)
    except ActionError as error:
        raise HttpError(400, str(error)) from None
    if name in INLINE_FORMATS and work.word_count <= INLINE_MAX_WORDS:
        return _file_response(work.title, name, open_download(work, name))
    user = require_scope(request, "read")
    job = do_create_export_job(user, work, name)
    run_api_job_task(job.public_id)
    job.refresh_from_db()
    return Status(202, _job_out(request, job))


@router.get(
    "/exports/{job_id}", response={200: Job, **ERRORS}, url_name="export_status", summary="An export job"
)
def export_status(request: HttpRequest, job_id: str) -> dict[str, Any]:
    user = require_scope(request, "read")
    return _job_out(request, _own_job(user, job_id, "export"))


@router.get(
    "/exports/{job_id}/file",
    response={409: Problem, **ERRORS},
    url_name="export_file",
    summary="An export job's file",
    openapi_extra=_FILE_RESPONSE,
)
def export_job_file(request: HttpRequest, job_id: str) -> Any:
    """409 until the job is done. The work is looked up again: one hidden since answers 404."""
    user = require_scope(request, "read")
    job = _own_job(user, job_id, "export")
    if job.status != DONE:
        raise HttpError(409, f"The export is {job.status}, not done.")
    work, handle = export_file(job)
    return _file_response(work.title, str(job.request["format"]), handle)


def _file_response(title: str, format_name: str, handle: Any) -> FileResponse:
    fmt = EXPORT_FORMATS[format_name]
    return FileResponse(
        handle,
        content_type=fmt.media_type,
        as_attachment=True,
        filename=download_filename(title, fmt.extension),
    )
