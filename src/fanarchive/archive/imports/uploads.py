"""Uploaded files imported as `fanarchive import FOLDER` imports a folder: written under their own
(cleaned) names, one sub-folder each, then imported; outcomes are named as the uploader named them.
Used by the admin's "Import files" page, which imports in its own request from a private temporary
folder, and by API import jobs, whose uploads wait for the worker in the `uploads` storage: a folder
under FANARCHIVE_HOME, or the S3 bucket every node shares (archive/shared_files.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile

from fanarchive.archive.imports.run import ImportReport, run_import
from fanarchive.archive.imports.worker import WorkerLimits
from fanarchive.archive.shared_files import UPLOADS, local_path

if TYPE_CHECKING:
    from fanarchive.archive.models import User


def clean_name(name: str | None) -> str:
    """The file's own name, without folders or a leading dot (no path escapes, no hidden files)."""
    return Path(name or "upload").name.lstrip(".") or "upload"


def _numbered(files: Iterable[UploadedFile[Any]]) -> Iterator[tuple[str, UploadedFile[Any]]]:
    """NNNN/name for each upload. One sub-folder per upload: two uploads may share a name, and
    readers name works after files."""
    for number, upload in enumerate(files):
        yield f"{number:04d}/{clean_name(upload.name)}", upload


def save_uploads(files: Iterable[UploadedFile[Any]], folder: Path) -> int:
    """Write each upload to folder/NNNN/name; returns the bytes written."""
    written = 0
    for name, upload in _numbered(files):
        target = folder / name
        target.parent.mkdir(parents=True)
        with target.open("wb") as out:
            for chunk in upload.chunks():
                written += out.write(chunk)
    return written


def store_uploads(files: Iterable[UploadedFile[Any]], prefix: str) -> None:
    """Keep each upload in the uploads storage as prefix/NNNN/name, for a worker on any machine.
    A folder storage writes in place, not by rename: nothing reads these files before the job that
    names them is committed, after this returns."""
    storage = storages[UPLOADS]
    for name, upload in _numbered(files):
        storage.save(f"{prefix}/{name}", upload)


def fetch_uploads(prefix: str, scratch: Path) -> Path:
    """A folder of this machine holding the uploads kept under prefix, as run_import needs (its
    worker processes read paths): the storage's own when it is a folder, else a copy in scratch."""
    storage = storages[UPLOADS]
    folder = local_path(storage, prefix)
    if folder is not None:
        return folder
    for name in _stored_names(storage, prefix):
        target = scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(f"{prefix}/{name}", "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
    return scratch


def delete_uploads(prefix: str) -> None:
    """Every file kept under prefix, and in a folder storage the folders too."""
    storage = storages[UPLOADS]
    folder = local_path(storage, prefix)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for name in _stored_names(storage, prefix):
        storage.delete(f"{prefix}/{name}")


def _stored_names(storage: Storage, prefix: str) -> Iterator[str]:
    """The names under prefix, relative to it, in every sub-folder (S3 lists one level at a time)."""
    folders, names = storage.listdir(prefix)
    yield from names
    for sub in folders:
        yield from (f"{sub}/{name}" for name in _stored_names(storage, f"{prefix}/{sub}"))


def import_folder(folder: Path, *, owner: User | None = None, fandom: str | None = None) -> ImportReport:
    report = run_import(
        [str(folder)],
        limits=WorkerLimits(timeout=settings.IMPORT_TIMEOUT, memory_mb=settings.IMPORT_MEMORY_MB),
        owner=owner,
        fandom=fandom,
    )
    # Shown without the folder and the NNNN/ sub-folder: the uploaded name is what the uploader knows.
    prefix = str(folder).rstrip("/") + "/"
    for outcome in report.outcomes:
        outcome.name = outcome.name.removeprefix(prefix).split("/", 1)[-1]
    return report
