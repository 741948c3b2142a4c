"""Migration 0004 re-cleans what sanitizer version 1 stored: a `cite` with a script URL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("archive", "0003_sanitizer_version_2")]
AFTER = [("archive", "0004_reclean_cite_urls")]
HOSTILE = '<blockquote cite="javascript:alert(1)"><p>quoted</p></blockquote>'
KEPT = '<blockquote cite="https://example.org/a"><p>quoted</p></blockquote>'


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_version_1_rows_lose_script_urls_and_keep_the_rest() -> None:
    old = _migrate(BEFORE)
    Work = old.get_model("archive", "Work")
    Chapter = old.get_model("archive", "Chapter")
    fields = {"published": "2024-01-01", "updated": "2024-01-01", "sanitizer_version": 1}
    hostile = Work.objects.create(title="a", summary=HOSTILE, **fields)
    fine = Work.objects.create(title="b", summary=KEPT, notes="<p>no quote</p>", **fields)
    Chapter.objects.create(work=hostile, position=1, body=f"<p>x</p>{HOSTILE}", sanitizer_version=1)
    Series = old.get_model("archive", "Series")
    series = Series.objects.create(title="s", notes=HOSTILE)
    try:
        new = _migrate(AFTER)
        Work = new.get_model("archive", "Work")
        Chapter = new.get_model("archive", "Chapter")
        cleaned = Work.objects.get(pk=hostile.pk)
        assert "javascript" not in cleaned.summary and "quoted" in cleaned.summary
        assert "javascript" not in Chapter.objects.get(work_id=hostile.pk).body
        kept = Work.objects.get(pk=fine.pk)
        assert kept.summary == KEPT and kept.notes == "<p>no quote</p>"
        assert set(Work.objects.values_list("sanitizer_version", flat=True)) == {2}
        assert set(Chapter.objects.values_list("sanitizer_version", flat=True)) == {2}
        assert "javascript" not in new.get_model("archive", "Series").objects.get(pk=series.pk).notes
    finally:
        _migrate(list(_latest()))


def _latest() -> set[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return set(executor.loader.graph.leaf_nodes())
