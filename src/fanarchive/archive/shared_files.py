"""The storages of the files every node of a site must see (STORAGES in settings.py; docs/scaling.md,
"Shared files"): `exports` holds the made downloads, `uploads` the API import jobs' uploads. Folders
under FANARCHIVE_HOME by default, an S3 bucket with FANARCHIVE_S3_BUCKET."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage

EXPORTS = "exports"
UPLOADS = "uploads"


def local_path(storage: Storage, name: str) -> Path | None:
    """Where `name` is on this machine's file system; None for a storage with no paths (S3), which
    Django's storage API signals by NotImplementedError."""
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


class HomeFolderStorage(FileSystemStorage):
    """A folder of FANARCHIVE_HOME, the default of both storages: the same folders archives have
    always kept these files in. Found from settings.HOME when a file is asked for, as the code
    before storages did, so a test (or a command) that points HOME elsewhere moves them too."""

    def __init__(self, folder: str, **options: Any) -> None:
        super().__init__(**options)
        self.folder = folder

    @property
    def base_location(self) -> str:
        return str(Path(settings.HOME) / self.folder)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)
