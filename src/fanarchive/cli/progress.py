from __future__ import annotations

import sys
import time
from typing import TextIO

from fanarchive.domain.counting import counted


class Progress:
    """One status line on stderr, redrawn in place on a terminal and every few seconds elsewhere:
    "importing: 12 works (3 files), 4.5 a second" or "indexing: [####......] 40 of 120 works"."""

    def __init__(
        self, label: str, noun: str = "work", total: int | None = None, stream: TextIO = sys.stderr
    ) -> None:
        self.label = label
        self.noun = noun
        self.total = total
        self.stream = stream
        self.started = time.monotonic()
        self.last_drawn = 0.0
        self.tty = stream.isatty()

    def line(self, done: int, detail: str = "", total: int | None = None) -> str:
        total = total if total is not None else self.total
        if total:
            filled = int(30 * done / total)
            count = f"[{'#' * filled}{'.' * (30 - filled)}] {done} of {counted(total, self.noun)}"
        else:
            count = counted(done, self.noun)
        rate = done / max(time.monotonic() - self.started, 1e-9)
        return f"{self.label}: {count}{' ' + detail if detail else ''}, {rate:.1f} a second"

    def update(self, done: int, detail: str = "", force: bool = False, total: int | None = None) -> None:
        now = time.monotonic()
        interval = 0.1 if self.tty else 5.0
        if not force and now - self.last_drawn < interval:
            return
        self.last_drawn = now
        line = self.line(done, detail, total)
        self.stream.write(("\r\x1b[2K" + line) if self.tty else line + "\n")
        self.stream.flush()

    def finish(self, done: int, detail: str = "", total: int | None = None) -> None:
        self.update(done, detail, force=True, total=total)
        if self.tty:
            self.stream.write("\n")
