"""The import bench's corpus in the forms the importer meets, not only work JSON: each generated
work is written, in turn, by one of fanarchive's own download writers (AO3-style HTML, EPUB, TXT)
or as Markdown, so that parsing is timed across the readers that do the heavy lifting."""

from __future__ import annotations

import io
from collections.abc import Callable

from fanarchive.domain.exports import ExportContext
from fanarchive.domain.exports.epub import write_epub
from fanarchive.domain.exports.html import write_html
from fanarchive.domain.exports.txt import write_txt
from fanarchive.domain.text import html_to_text
from fanarchive.domain.work import ParsedWork

Writer = Callable[[ParsedWork], tuple[str, bytes]]


def _by(write: Callable[..., None], extension: str) -> Writer:
    def written(work: ParsedWork) -> tuple[str, bytes]:
        # Each work its own URL, so that re-imports match on it as a real archive's downloads do.
        context = ExportContext(
            work_url=f"https://bench.example/works/{work.source.id}", archive_name="bench"
        )
        out = io.BytesIO()
        write(work, context, out)
        return extension, out.getvalue()

    return written


def _markdown(work: ParsedWork) -> tuple[str, bytes]:
    parts = [f"# {work.title}", ""]
    for chapter in work.chapters:
        parts += [f"## Chapter {chapter.number}: {chapter.title or ''}".rstrip(": "), ""]
        parts += [html_to_text(chapter.html).replace("\n", "\n\n"), ""]
    return "md", "\n".join(parts).encode()


def extra_writers() -> dict[str, Writer]:
    return {
        "ao3-html": _by(write_html, "html"),
        "ao3-epub": _by(write_epub, "epub"),
        "fanarchive-txt": _by(write_txt, "txt"),
        "markdown": _markdown,
    }
