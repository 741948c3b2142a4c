"""Static files with content-hashed names, served by WhiteNoise with far-future caching and
precompressed (gzip and Brotli) copies.

WhiteNoise's CompressedManifestStaticFilesStorage writes `name.<hash>.ext` copies and a manifest at
collectstatic; a browser may then keep each for a year, since a changed file gets a new name.
`fanarchive serve` collects whenever a source file is newer than the manifest, so a fresh checkout
still serves with two commands. Before any collect (the tests, `manage runserver`) the plain names
are used, which WhiteNoise serves from the package through its finders."""

from __future__ import annotations

import os
from typing import Any

import brotli
from django.contrib.staticfiles.finders import get_finders
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class QuickCompressor(Compressor):  # type: ignore[misc]  # whitenoise ships no type hints
    """Brotli at quality 5, not WhiteNoise's 11: collecting the ~430 files (the admin's, Swagger UI's)
    took 85 s at 11 and 6 s at 5 on a busy 2-core machine, and `serve` waits for it; 5 still
    compresses better than gzip -9."""

    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        return bytes(brotli.compress(data, quality=5))


class ArchiveStaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return QuickCompressor(**kwargs)

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name  # nothing collected yet: the file under its own name, from the finders
        return str(super().stored_name(name))


def _newest_source() -> float:
    """The latest modification time among the files the finders would collect."""
    return max(
        (
            os.stat(storage.path(path)).st_mtime
            for finder in get_finders()
            for path, storage in finder.list([])
        ),
        default=0.0,
    )


def collect_if_stale() -> bool:
    """Run collectstatic when there is no manifest or a source file changed since it was written."""
    from django.conf import settings
    from django.core.management import call_command

    manifest = settings.STATIC_ROOT / ArchiveStaticStorage.manifest_name
    if manifest.exists() and manifest.stat().st_mtime >= _newest_source():
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    return True
