"""Jobs an API client starts and polls: an import of uploaded files (the pipeline of `fanarchive
import`, each work in its own transaction) and an export (the same files the download links serve).

An import's uploads wait in the `uploads` storage as <public id>/uploads/ (under
$FANARCHIVE_HOME/api-jobs/ by default; a bucket every node shares on a site of several machines, so
the worker that runs the job may be on another); its row moves queued → running →
done | failed, and `outcome` holds the per-file results (import) or the file's name and size
(export). `run_api_job` is a sequence of transactions, not one: an import stores work after work."""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from fanarchive.archive.access import access_work
from fanarchive.archive.accounts.roles import is_archivist, is_staff
from fanarchive.archive.actions import ActionError
from fanarchive.archive.exports.cache import FormatUnavailable, UnknownFormat, export_format, open_download
from fanarchive.archive.imports.uploads import delete_uploads, fetch_uploads, import_folder, store_uploads
from fanarchive.archive.models import ApiJob, User, Work

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# One request's upload: as many files as a folder of a small archive, as large as the CLI's default.
MAX_IMPORT_FILES = 1000
MAX_IMPORT_MB = 100


def job_folder(job: ApiJob) -> Path:
    """This machine's folder for the job: its uploads themselves with the default storage, a copy of
    them fetched for the import with S3."""
    return Path(settings.HOME) / "api-jobs" / job.public_id


def job_uploads(job: ApiJob) -> str:
    """Where the job's uploads are kept in the uploads storage."""
    return f"{job.public_id}/uploads"


def may_import(user: User) -> bool:
    """As on the site: staff (the admin's Import files page) and archivists, who import for others."""
    return is_staff(user) or is_archivist(user)


def check_import_job(user: User, files: Sequence[UploadedFile[Any]], owner: User | None) -> None:
    if not may_import(user):
        raise PermissionError("Only staff and archivists may import works.")
    if not files:
        raise ActionError("Send at least one file (a work, a folder's files, or a zip).")
    if len(files) > MAX_IMPORT_FILES:
        raise ActionError(f"At most {MAX_IMPORT_FILES} files in one import.")
    if sum(upload.size or 0 for upload in files) > MAX_IMPORT_MB * 1024 * 1024:
        raise ActionError(f"At most {MAX_IMPORT_MB} MB in one import; send the rest in another.")
    if owner is not None and (owner.imported or not owner.is_active):
        raise ActionError("Works can only be imported into an active account.")


def _new_job(user: User, kind: str, request: dict[str, Any]) -> ApiJob:
    return ApiJob.objects.create(public_id=secrets.token_hex(16), user=user, kind=kind, request=request)


@transaction.atomic
def do_create_import_job(
    user: User, files: Sequence[UploadedFile[Any]], *, owner: User | None = None
) -> ApiJob:
    """Store the uploads and queue their import. The caller starts `run_api_job` after commit."""
    check_import_job(user, files, owner)
    names = [upload.name or "upload" for upload in files]
    job = _new_job(user, "import", {"files": names, "owner": owner.username if owner else None})
    try:
        store_uploads(files, job_uploads(job))
    except BaseException:  # the row rolls back: no files left without it
        delete_uploads(job.public_id)
        raise
    return job


def check_export(work: Work, format_name: str) -> str:
    """The format's name, if this installation writes it now (else ActionError saying why)."""
    try:
        return export_format(format_name).name
    except (UnknownFormat, FormatUnavailable) as error:
        raise ActionError(str(error.args[0])) from None


@transaction.atomic
def do_create_export_job(user: User, work: Work, format_name: str) -> ApiJob:
    """`work` was found through access.py by the caller; the job checks it again when it runs."""
    name = check_export(work, format_name)
    return _new_job(user, "export", {"work_id": work.pk, "format": name})


@transaction.atomic
def do_start_job(public_id: str) -> ApiJob | None:
    """queued → running; None when the job is gone or another worker took it."""
    job = ApiJob.objects.select_for_update().filter(public_id=public_id, status=QUEUED).first()
    if job is None:
        return None
    job.status = RUNNING
    job.save(update_fields=["status"])
    return job


@transaction.atomic
def do_finish_job(
    job: ApiJob, status: str, outcome: dict[str, Any], *, now: dt.datetime | None = None
) -> ApiJob:
    job.status = status
    job.outcome = outcome
    job.finished_at = now or timezone.now()
    job.save(update_fields=["status", "outcome", "finished_at"])
    return job


def run_api_job(public_id: str) -> ApiJob | None:
    """Run a queued job to its end; a failure is the job's (status failed, with the reason)."""
    job = do_start_job(public_id)
    if job is None:
        return None
    try:
        outcome = _run_import(job) if job.kind == "import" else _run_export(job)
    except Exception as error:  # the job fails with its reason; the worker goes on
        return do_finish_job(job, FAILED, {"error": f"{type(error).__name__}: {error}"[:500]})
    return do_finish_job(job, DONE, outcome)


def _run_import(job: ApiJob) -> dict[str, Any]:
    owner_name = job.request.get("owner")
    try:
        owner = (
            User.objects.filter(username=owner_name, imported=False, is_active=True).first()
            if owner_name
            else None
        )
        if owner_name and owner is None:
            raise ActionError(f"no account named {owner_name!r}")
        folder = fetch_uploads(job_uploads(job), job_folder(job) / "uploads")
        return import_folder(folder, owner=owner).to_dict()
    finally:  # the works are stored (or the job failed); the uploads are not kept
        delete_uploads(job.public_id)
        shutil.rmtree(job_folder(job), ignore_errors=True)


def export_file(job: ApiJob) -> tuple[Work, Any]:
    """The job's work as its owner may see it now, and its download opened (the caller closes it).
    Raises Http404 when the work is gone or hidden from the job's owner since."""
    work = access_work(job.user, int(job.request["work_id"]))
    return work, open_download(work, str(job.request["format"]))


def _run_export(job: ApiJob) -> dict[str, Any]:
    work, handle = export_file(job)
    with handle:
        size = handle.size
    fmt = export_format(str(job.request["format"]))
    return {"work_id": work.pk, "format": fmt.name, "media_type": fmt.media_type, "size": size}
