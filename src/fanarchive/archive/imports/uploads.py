"""Uploaded files imported as `fanarchive import FOLDER` imports a folder: written under their own
(cleaned) names, one sub-folder each, then imported; outcomes are named as the uploader named them.
Used by the admin's "Import files" page and by API import jobs."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from fanarchive.archive.imports.run import ImportReport, run_import
from fanarchive.archive.imports.worker import WorkerLimits

if TYPE_CHECKING:
    from fanarchive.archive.models import User


def clean_name(name: str | None) -> str:
    """The file's own name, without folders or a leading dot (no path escapes, no hidden files)."""
    return Path(name or "upload").name.lstrip(".") or "upload"


def save_uploads(files: Iterable[UploadedFile[Any]], folder: Path) -> int:
    """Write each upload to folder/NNNN/name; returns the bytes written. One sub-folder per upload:
    two uploads may share a name, and readers name works after files."""
    written = 0
    for number, upload in enumerate(files):
        target = folder / f"{number:04d}" / clean_name(upload.name)
        target.parent.mkdir(parents=True)
        with target.open("wb") as out:
            for chunk in upload.chunks():
                written += out.write(chunk)
    return written


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
