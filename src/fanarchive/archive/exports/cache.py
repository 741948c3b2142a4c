"""Generated downloads, kept in the `exports` storage as <work id>/<key>.<extension> and made again
when the work changes. The storage is a folder, $FANARCHIVE_HOME/downloads, or on a site of several
machines an S3 bucket every node reads (archive/shared_files.py).

The cache key is a digest of everything a download shows (the work as the writers receive it), so a
chapter edit, a tag renamed by a wrangler or a new series all give a new file, whatever path the
change took. Hit and kudos counts are left out of the key: a download would otherwise be rebuilt on
every visit; the counts in a cached file are those of the day it was made, as on AO3.

A file is made in a local temporary file and published whole: renamed into place in a folder, or
uploaded to S3, where an object is visible only once its upload completes. So a reader never gets
half a file. Files are handed out open, streamed, never held whole in memory."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages

from fanarchive.archive.exports.interchange import parsed_from_work
from fanarchive.archive.models import Work
from fanarchive.archive.observability.metrics import count_cache, count_export
from fanarchive.archive.shared_files import EXPORTS, local_path
from fanarchive.archive.site_origin import site_url
from fanarchive.domain.exports import EXPORT_FORMATS, ExportContext, ExportFormat
from fanarchive.domain.sanitize import SANITIZER_VERSION
from fanarchive.domain.work import ParsedWork, work_to_dict

# Bump when a writer's output changes, so cached files made by the old writer are not served.
WRITER_VERSION = 2
_VOLATILE_STATS = ("hits", "kudos", "bookmarks", "comments")


class UnknownFormat(KeyError):
    pass


class FormatUnavailable(Exception):
    """A known format this installation cannot write (MOBI and AZW3 without calibre)."""


def export_format(name: str) -> ExportFormat:
    """The format by name, if this installation can write it now."""
    fmt = EXPORT_FORMATS.get(name.lower())
    if fmt is None:
        known = ", ".join(EXPORT_FORMATS)
        raise UnknownFormat(f"unknown format {name!r} (known: {known})")
    if not fmt.available():
        raise FormatUnavailable(f"{fmt.label} is not available here. {fmt.unavailable_hint}")
    return fmt


def work_url(work: Work) -> str:
    return f"{site_url()}/works/{work.pk}"


def _cache_key(parsed: ParsedWork, fmt: ExportFormat) -> str:
    content = work_to_dict(parsed)
    content["stats"] = {k: v for k, v in content.get("stats", {}).items() if k not in _VOLATILE_STATS}
    parts = [fmt.name, WRITER_VERSION, SANITIZER_VERSION, site_url(), settings.SITE_NAME]
    digest = hashlib.sha256(json.dumps([parts, content], sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:24]


def open_download(work: Work, name: str) -> File[bytes]:
    """The file for this work in this format, open for reading from the start; made now if the
    stored one is missing or stale. The caller closes it."""
    fmt = export_format(name)
    parsed = parsed_from_work(work)
    storage = storages[EXPORTS]
    stored = f"{work.pk}/{_cache_key(parsed, fmt)}.{fmt.extension}"
    found = _open_stored(storage, stored)
    count_cache("downloads", hit=found is not None)
    if found is not None:
        return found
    # Beside the files when the storage is a folder; a folder of this machine's for S3.
    folder = local_path(storage, str(work.pk)) or Path(settings.HOME) / "downloads" / str(work.pk)
    folder.mkdir(parents=True, exist_ok=True)
    lock_path = folder / f"{PurePosixPath(stored).name}.lock"
    # One maker per file: a PDF of a long work takes a minute and hundreds of MB, and readers who
    # ask for it meanwhile wait for that one instead of each making their own. The lock is this
    # machine's: two machines sharing a bucket may each make the file, which wastes the work but
    # stays correct, since each publishes a whole file of the same work under the same name.
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = _open_stored(storage, stored)
        if found is not None:
            return found
        out = _make(parsed, fmt, work, storage, stored, folder)
    _drop_older(storage, folder, f"{work.pk}", fmt, keep=stored)
    return out


def _open_stored(storage: Storage, name: str) -> File[bytes] | None:
    try:
        found: File[bytes] = storage.open(name, "rb")
    except FileNotFoundError:
        return None
    # S3 fetches an object at its first read (spooled to a temporary file past a few MB): fetched
    # now, the reader no longer depends on an object another node may replace meanwhile.
    return found.open()


def _make(
    parsed: ParsedWork, fmt: ExportFormat, work: Work, storage: Storage, name: str, folder: Path
) -> File[bytes]:
    context = ExportContext(work_url=work_url(work), archive_name=settings.SITE_NAME)
    # In the storage's own folder when it has one, so the rename below stays on one file system.
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    out = os.fdopen(handle, "w+b")
    try:
        fmt.write(parsed, context, out)
        out.flush()
        _publish(storage, name, out, Path(temporary))
        count_export(fmt.name)
    except BaseException:
        out.close()
        Path(temporary).unlink(missing_ok=True)
        raise
    out.seek(0)
    return File(out, name=name)


def _publish(storage: Storage, name: str, out: BinaryIO, temporary: Path) -> None:
    """Make the whole of `out` (written to `temporary`) the storage's file `name` at once."""
    final = local_path(storage, name)
    if final is not None:
        os.replace(temporary, final)
        return
    saved = storage.save(name, File(out))
    if saved != name:  # a storage that keeps both copies: another machine published the file first
        storage.delete(saved)
    temporary.unlink()  # this reader keeps the open file


def _drop_older(storage: Storage, folder: Path, prefix: str, fmt: ExportFormat, keep: str) -> None:
    """Older versions of this format go. One being streamed to a reader stays readable until it is
    closed: an open local file outlives its name, and an S3 object was fetched when it was opened."""
    _folders, names = storage.listdir(prefix)
    for name in names:
        if name.endswith(f".{fmt.extension}") and f"{prefix}/{name}" != keep:
            storage.delete(f"{prefix}/{name}")
    for lock in folder.glob(f"*.{fmt.extension}.lock"):
        if lock.name != f"{PurePosixPath(keep).name}.lock":
            lock.unlink(missing_ok=True)
