from __future__ import annotations

import io

from fanarchive.cli.progress import Progress


def test_the_progress_line_reads_as_a_sentence() -> None:
    stream = io.StringIO()
    progress = Progress("importing", stream=stream)
    progress.finish(1, "(1 file)")
    line = stream.getvalue()
    assert line.startswith("importing: 1 work (1 file), ") and line.endswith(" a second\n")
    assert "works" not in line


def test_a_known_total_shows_a_bar_and_counts_the_total() -> None:
    stream = io.StringIO()
    Progress("indexing", stream=stream).finish(40, total=120)
    assert stream.getvalue().startswith(f"indexing: [{'#' * 10}{'.' * 20}] 40 of 120 works, ")
