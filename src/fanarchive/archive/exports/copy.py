"""One work's download copied to a stream, for `fanarchive export`."""

from __future__ import annotations

import shutil
from typing import BinaryIO

from fanarchive.archive.exports.cache import FormatUnavailable, UnknownFormat, open_download
from fanarchive.archive.models import Work


class ExportUnavailable(Exception):
    pass


def export_work(work_id: int, format_name: str, out: BinaryIO) -> None:
    """Copy the work's download in this format to `out`, chunk by chunk."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise ExportUnavailable(f"no work with id {work_id}")
    try:
        source = open_download(work, format_name)
    except (UnknownFormat, FormatUnavailable) as error:
        raise ExportUnavailable(error.args[0]) from None
    with source:
        shutil.copyfileobj(source, out, 1 << 20)
