from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fanarchive.bench.api_bench import FILTERS, measure

pytestmark = pytest.mark.django_db


def test_api_bench_times_the_api_and_the_page_for_every_filter_set(make_work: Callable[..., Any]) -> None:
    for n in range(3):
        make_work(f"Harbour {n}", chapters=1)
    report = measure(repeats=2)
    assert set(report["cases"]) == set(FILTERS)
    for case in report["cases"].values():
        assert case["page_ms"] > 0 and case["api_ms"] > 0
        assert case["api_over_page"] == pytest.approx(case["api_ms"] / case["page_ms"])
    assert report["worst_api_over_page"] == max(c["api_over_page"] for c in report["cases"].values())
    assert report["within_target"] is (report["worst_api_over_page"] <= 1.5)
