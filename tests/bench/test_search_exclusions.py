"""The filter bench's exclusions section (issue 14): a reader with 50 excluded tags and 20 muted
creators timed against one without, in the same run. Timings are never asserted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fanarchive.bench.search_exclusions import EXCLUDED_TAGS, MUTED_CREATORS, reader_exclusions
from fanarchive.bench.search_mix import make_mix
from fanarchive.bench.search_tantivy import BackendEngine, build_ours, creator_id
from fanarchive.cli.main import main
from fanarchive.domain.exclusions import SavedExclusions
from fanarchive.search.tantivy_backend import TantivyBackend

WORKS = 2000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exclusions-corpus") / "corpus"
    main(["bench", "corpus", "--works", str(WORKS), "--out", str(out), "--no-bodies"])
    return out


def test_creator_ids_come_from_author_names() -> None:
    assert creator_id("kalo_0") == 1 and creator_id("kalo_17") == 18 and creator_id("nameless") == 0


def test_filter_report_times_the_reader_with_exclusions(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "filter.json"
    args = ["bench", "filter", "--corpus", str(corpus), "--queries", "4", "--warmup", "1", "--out", str(out)]
    assert main(args) == 0
    report: dict[str, Any] = json.loads(out.read_text())
    assert {"results", "ratios", "agreement", "load", "indexes", "examples"} <= set(report)
    section = report["exclusions"]
    reader = section["reader"]
    assert reader["excluded_tags"] == len(set(reader["tag_ids"])) == EXCLUDED_TAGS
    assert reader["muted_creators"] == len(set(reader["creator_ids"])) == MUTED_CREATORS
    assert section["queries"] == 8 and set(section["kinds"]) == {"filter", "tag_page"}
    assert set(section["results"]) == {"tantivy_ours"}
    row = section["results"]["tantivy_ours"]
    for label in ("without_exclusions", "with_exclusions"):
        assert row[label]["n"] == 8 and 0 < row[label]["p50_ms"] <= row[label]["p95_ms"]
    assert row["with_over_without"]["p95"] == round(
        row["with_exclusions"]["p95_ms"] / row["without_exclusions"]["p95_ms"], 2
    )
    assert isinstance(row["within_target"], bool)
    # The exclusions take works away from the listings.
    assert 0 < row["totals"]["with"] < row["totals"]["without"]


def test_muting_alone_removes_the_muted_creators_works(corpus: Path, tmp_path: Path) -> None:
    saved = reader_exclusions(corpus, 1)
    muted_only = SavedExclusions(creator_ids=saved.creator_ids)
    build_ours(corpus, tmp_path / "index")
    ours = BackendEngine("ours", TantivyBackend(tmp_path / "index"))
    page = next(q for q in make_mix(corpus, "filter", 4, 1) if q.kind == "tag_page")
    try:
        assert ours.run(page, muted_only)[1] < ours.run(page)[1]
    finally:
        ours.close()
