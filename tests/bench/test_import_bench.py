"""The import bench's seeded archive (`--existing N`) is made of works the importer's lookups find:
by source id, by URL, and by text hash, so the per-work cost it reports is that of a real table."""

from __future__ import annotations

import pytest

from fanarchive.archive.actions.imports import (
    UNCHANGED,
    do_import_work,
    do_seed_bench_works,
    find_existing_work,
)
from fanarchive.archive.models import Chapter, StatCounter, Work
from fanarchive.bench.import_bench import seed_existing
from fanarchive.domain.work import ParsedChapter, ParsedWork, Source


@pytest.mark.django_db
def test_seeded_works_are_found_by_each_lookup_an_import_makes() -> None:
    assert seed_existing(9, seed=3) >= 0
    assert Work.objects.count() == Chapter.objects.count() == StatCounter.objects.count() == 9
    by_id = Work.objects.exclude(source_id="").count()
    by_url = Work.objects.exclude(source_url="").count()
    assert (by_id, by_url) == (3, 3)
    assert Work.objects.filter(text_hash="").count() == 0
    assert all(work.word_count > 0 for work in Work.objects.all())


@pytest.mark.django_db
def test_a_seeded_work_imported_again_is_unchanged() -> None:
    html = "<p>The kestrel kept the lighthouse, and the keeper kept the kestrel.</p>"
    parsed = ParsedWork(
        title="Kestrel",
        published="2020-01-01",
        chapters=[ParsedChapter(number=1, html=html)],
        source=Source(format="bench-seed", url="https://seed.invalid/works/7"),
    )
    do_seed_bench_works([parsed])
    work = Work.objects.get()
    assert find_existing_work(parsed, work.content_hash) == work
    assert do_import_work(parsed).status == UNCHANGED
