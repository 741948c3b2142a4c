"""Generated downloads, cached on disk under $FANARCHIVE_HOME/downloads/<work id>/ and made again
when the work changes.

The cache key is a digest of everything a download shows (the work as the writers receive it), so a
chapter edit, a tag renamed by a wrangler or a new series all give a new file, whatever path the
change took. Hit and kudos counts are left out of the key: a download would otherwise be rebuilt on
every visit; the counts in a cached file are those of the day it was made, as on AO3.

Files are written to a temporary name and renamed into place, so a reader never gets half a file,
and they are handed out as open files, streamed, never held whole in memory."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from fanarchive.archive.exports.interchange import parsed_from_work
from fanarchive.archive.models import Work
from fanarchive.archive.observability.metrics import count_cache, count_export
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


def open_download(work: Work, name: str) -> BinaryIO:
    """The file for this work in this format, open for reading from the start; made now if the
    cached one is missing or stale. The caller closes it."""
    fmt = export_format(name)
    parsed = parsed_from_work(work)
    folder = Path(settings.HOME) / "downloads" / str(work.pk)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_cache_key(parsed, fmt)}.{fmt.extension}"
    try:
        found = path.open("rb")
    except FileNotFoundError:
        count_cache("downloads", hit=False)
    else:
        count_cache("downloads", hit=True)
        return found
    # One maker per file: a PDF of a long work takes a minute and hundreds of MB, and readers who
    # ask for it meanwhile wait for that one instead of each making their own.
    with (folder / f"{path.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return path.open("rb")
        except FileNotFoundError:
            out = _make(parsed, fmt, work, path)
    # Older versions of this format go; one being streamed to a reader stays readable until closed.
    for old in [*folder.glob(f"*.{fmt.extension}"), *folder.glob(f"*.{fmt.extension}.lock")]:
        if old not in (path, folder / f"{path.name}.lock"):
            old.unlink(missing_ok=True)
    return out


def _make(parsed: ParsedWork, fmt: ExportFormat, work: Work, path: Path) -> BinaryIO:
    context = ExportContext(work_url=work_url(work), archive_name=settings.SITE_NAME)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    out = os.fdopen(handle, "w+b")
    try:
        fmt.write(parsed, context, out)
        out.flush()
        os.replace(temporary, path)
        count_export(fmt.name)
    except BaseException:
        out.close()
        Path(temporary).unlink(missing_ok=True)
        raise
    out.seek(0)
    return out
