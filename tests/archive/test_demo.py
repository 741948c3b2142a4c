from __future__ import annotations

import pytest

from fanarchive.archive.demo import load_demo, load_demo_if_empty
from fanarchive.archive.models import SerialWork, Tag, Tagging, Work
from fanarchive.domain.tags import TAG_KINDS

pytestmark = pytest.mark.django_db


def test_demo_fills_an_empty_archive_once() -> None:
    outcomes = load_demo_if_empty()
    assert len(outcomes) >= 5 and {o.status for o in outcomes} == {"imported"}
    assert load_demo_if_empty() == []
    assert {o.status for o in load_demo()} == {"unchanged"}
    assert Work.objects.count() == len(outcomes)


def test_demo_has_every_shape_a_newcomer_should_see() -> None:
    load_demo()
    used_kinds = set(Tagging.objects.values_list("tag__kind", flat=True))
    assert used_kinds == {kind.value for kind in TAG_KINDS}
    chapters = [work.chapters.count() for work in Work.objects.all()]
    assert 1 in chapters and max(chapters) >= 3
    assert Work.objects.filter(complete=False).exists() and Work.objects.filter(complete=True).exists()
    assert SerialWork.objects.values("series").distinct().count() >= 1
    assert Work.objects.exclude(language="English").exists()
    assert Tag.objects.filter(kind="fandom").count() >= 2
    assert all(work.word_count > 0 for work in Work.objects.all())
