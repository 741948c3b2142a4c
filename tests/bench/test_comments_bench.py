from __future__ import annotations

import pytest

from fanarchive.archive.models import Comment
from fanarchive.bench.comments_bench import measure

pytestmark = pytest.mark.django_db


def test_comments_bench_times_a_busy_and_a_quiet_work_page() -> None:
    report = measure(comments=21, repeats=2)
    assert report["suite"] == "comments" and report["comments"] == 21
    assert Comment.objects.filter(parent__isnull=True).count() == 11
    assert Comment.objects.filter(parent__isnull=False).count() == 10
    for figures in (report["with_comments"], report["peer_without_comments"]):
        assert figures["runs"] == 2 and 0 < figures["p50_ms"] <= figures["p95_ms"]
    assert report["ratio_p50"] > 0
