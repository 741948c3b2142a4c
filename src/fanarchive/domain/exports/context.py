from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExportContext:
    """What a download says that the work itself does not: where it lives and who serves it."""

    work_url: str
    archive_name: str = "fanarchive"
    generated: dt.date = field(default_factory=dt.date.today)

    @property
    def identifier(self) -> str:
        # Derived from the work's URL, so every download of one work carries the same identifier
        # and e-reader libraries replace the old copy instead of keeping two.
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, self.work_url)}"
