from __future__ import annotations

from fanarchive.bench.export_bench import run
from fanarchive.bench.long_work import long_work
from fanarchive.domain.sanitize import sanitize_html


def test_long_work_is_long_multilingual_and_hostile() -> None:
    work = long_work(words=6000, chapters=3)
    assert len(work.chapters) == 3 and 6000 <= work.words < 6600
    assert any("灯" in c.html for c in work.chapters)
    notes = work.chapters[0].notes or ""
    assert "<script>" in notes and "onclick" in notes and "javascript:" in notes
    assert "<script>" not in sanitize_html(notes)
    assert long_work(words=6000, chapters=3) == work  # seeded: every run measures the same work


def test_export_bench_reports_seconds_per_mb_for_each_format_asked() -> None:
    report = run(words=4000, chapters=2, repeats=2, formats=["epub", "txt"])
    assert report["suite"] == "export" and report["work"]["chapters"] == 2
    assert set(report["formats"]) == {"epub", "txt"}
    for figures in report["formats"].values():
        assert figures["runs"] == 2 and figures["s_per_mb"] > 0 and figures["output_mb"] > 0
    assert "median_s" in report["peer"] or "skipped" in report["peer"]
