"""An author's uploaded file made into a draft of theirs: read in the import's limited worker, one
work per file, stored unposted. Used by /works/new/upload and by the API's POST /works/upload."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from fanarchive.archive.actions.imports import do_import_work
from fanarchive.archive.imports.run import read_upload
from fanarchive.archive.imports.worker import ReadFailed, WorkerLimits
from fanarchive.archive.models import User

logger = logging.getLogger(__name__)


class DraftRefused(Exception):
    """The file could not become a draft: the message names the file and says why."""


def draft_from_upload(user: User, upload: UploadedFile[Any]) -> int:
    """The new draft's work id. The declared size is checked first: a file too large is never read."""
    name = Path(upload.name or "upload").name or "upload"  # as the author knows it; never a path
    if (upload.size or 0) > settings.UPLOAD_MAX_MB * 1024 * 1024:
        raise DraftRefused(
            f"“{name}” could not be made into a draft: it is larger than {settings.UPLOAD_MAX_MB} MB."
        )
    data = b"".join(upload.chunks())
    limits = WorkerLimits(timeout=settings.IMPORT_TIMEOUT, memory_mb=settings.IMPORT_MEMORY_MB)
    try:
        works = read_upload(name, data, limits)
    except ReadFailed as error:
        raise DraftRefused(f"“{name}” could not be made into a draft: {error}.") from None
    if len(works) != 1:
        raise DraftRefused(
            f"“{name}” could not be made into a draft: it holds {len(works)} works; upload one work at a time."
        )
    # As in `fanarchive import`: text the database refuses is the file's fault, not a 500.
    try:
        return do_import_work(works[0], owner=user, draft=True).work_id
    except Exception as error:
        logger.warning("upload %r not stored", name, exc_info=True)
        raise DraftRefused(
            f"“{name}” could not be made into a draft: it could not be stored ({type(error).__name__})."
        ) from None
