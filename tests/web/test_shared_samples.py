"""The two real fan works in ../shared/samples, imported and read through the archive's pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from fanarchive.archive.imports.run import run_import
from fanarchive.archive.models import Work

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shared samples not found at {SAMPLES}")
        pytest.skip("shared samples not found")
    return SAMPLES


def test_samples_import_idempotently_and_read_chapter_by_chapter(client: Client, samples: Path) -> None:
    report = run_import([str(samples)])
    assert report.failures == [] and report.counts["imported"] == 2
    assert run_import([str(samples)]).counts["unchanged"] == 2
    efiction = Work.objects.get(title="Trials of Love")
    assert efiction.chapters.count() == 26 and efiction.complete
    page = client.get(f"/works/{efiction.pk}/chapters/3").content.decode()
    assert "Revelations" in page and "Naruto and Sakura walked down the streets" in page
    ao3 = Work.objects.get(source_format="ao3-text")
    assert ao3.chapters.count() == 8
    last = client.get(f"/works/{ao3.pk}/chapters/8").content.decode()
    assert "The Walk Home" in last and "Chapter 8" in last
    found = client.get('/works?q="paper bullet"').content.decode()
    assert "Trials of Love" in found and f"/works/{efiction.pk}/chapters/1" in found
