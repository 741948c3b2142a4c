from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """One status line on stderr, redrawn in place on a terminal and every few seconds elsewhere."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO = sys.stderr) -> None:
        self.label = label
        self.total = total
        self.stream = stream
        self.started = time.monotonic()
        self.last_drawn = 0.0
        self.tty = stream.isatty()

    def update(self, done: int, detail: str = "", force: bool = False) -> None:
        now = time.monotonic()
        interval = 0.1 if self.tty else 5.0
        if not force and now - self.last_drawn < interval:
            return
        self.last_drawn = now
        elapsed = max(now - self.started, 1e-9)
        rate = done / elapsed
        if self.total:
            filled = int(30 * done / self.total)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}"
        else:
            bar = f"{done}"
        line = f"{self.label} {bar} {rate:.1f}/s {detail}".rstrip()
        self.stream.write(("\r\x1b[2K" + line) if self.tty else line + "\n")
        self.stream.flush()

    def finish(self, done: int, detail: str = "") -> None:
        self.update(done, detail, force=True)
        if self.tty:
            self.stream.write("\n")
