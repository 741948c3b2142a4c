"""`fanarchive bench export`: seconds per MB of each download writer on one very long work (300k
words, 150 chapters, CJK text, hostile notes), the median of N runs.

MB is the size of the work's text as stored (the chapters' and notes' HTML), the same yardstick for
every format. The peer, when calibre is installed, is its `ebook-convert` turning our HTML download
into an EPUB on the same machine in the same run."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from fanarchive.bench.long_work import long_work
from fanarchive.bench.measure import machine, summary, timed
from fanarchive.domain.exports import EXPORT_FORMATS, ExportContext
from fanarchive.domain.work import ParsedWork

MB = 1024 * 1024


def _source_bytes(work: ParsedWork) -> int:
    fields = [work.summary, work.notes, work.end_notes]
    for chapter in work.chapters:
        fields += [chapter.html, chapter.summary, chapter.notes, chapter.end_notes]
    return sum(len(field.encode()) for field in fields if field)


def run(words: int, chapters: int, repeats: int, formats: list[str] | None = None) -> dict[str, Any]:
    work = long_work(words=words, chapters=chapters)
    size = _source_bytes(work)
    context = ExportContext(work_url="http://127.0.0.1:8000/works/1")
    report: dict[str, Any] = {
        "suite": "export",
        "machine": machine(),
        "work": {"words": work.words, "chapters": len(work.chapters), "source_mb": round(size / MB, 3)},
        "repeats": repeats,
        "formats": {},
    }
    with tempfile.TemporaryDirectory(prefix="fanarchive-bench-") as folder:
        for name in formats or list(EXPORT_FORMATS):
            fmt = EXPORT_FORMATS[name]
            if not fmt.available():
                report["formats"][name] = {"skipped": fmt.unavailable_hint}
                continue
            target = Path(folder) / f"work.{fmt.extension}"

            def write(fmt: Any = fmt, target: Path = target) -> None:
                with target.open("wb") as out:
                    fmt.write(work, context, out)

            seconds = summary(timed(write, repeats))
            report["formats"][name] = {
                **seconds,
                "s_per_mb": round(seconds["median_s"] / (size / MB), 4),
                "output_mb": round(target.stat().st_size / MB, 3),
            }
        report["peer"] = _calibre_peer(work, context, Path(folder), repeats, size)
    epub, peer = report["formats"].get("epub", {}), report["peer"]
    if "median_s" in epub and "median_s" in peer:
        # How many times faster our EPUB writer is than calibre making one from our HTML.
        report["epub_vs_calibre"] = round(peer["median_s"] / epub["median_s"], 2)
    return report


def _calibre_peer(
    work: ParsedWork, context: ExportContext, folder: Path, repeats: int, size: int
) -> dict[str, Any]:
    converter = shutil.which("ebook-convert")
    if converter is None:
        return {"skipped": "calibre's ebook-convert is not installed"}
    html = folder / "peer.html"
    with html.open("wb") as out:
        EXPORT_FORMATS["html"].write(work, context, out)

    def convert() -> None:
        subprocess.run([converter, str(html), str(folder / "peer.epub")], capture_output=True, check=True)

    seconds = summary(timed(convert, repeats))
    return {
        "name": "calibre ebook-convert, our HTML download -> EPUB",
        **seconds,
        "s_per_mb": round(seconds["median_s"] / (size / MB), 4),
    }
