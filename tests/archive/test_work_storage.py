"""A work, its chapters and tags round-trip through the ORM (run on SQLite and on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from fanarchive.archive.actions.imports import IMPORTED, UNCHANGED, UPDATED, do_import_work
from fanarchive.archive.exports.interchange import parsed_from_work
from fanarchive.archive.models import Chapter, FilterTagging, SearchOutbox, Tag, Work
from fanarchive.domain.sanitize import SANITIZER_VERSION
from fanarchive.domain.text import count_words
from fanarchive.domain.work import RelatedWork, SeriesRef

pytestmark = pytest.mark.django_db


def test_work_chapters_and_tags_round_trip(make_work: Callable[..., Work]) -> None:
    work = make_work(
        "Lanterns at Low Tide",
        authors=("inkwell_moth", "Ferris Lane"),
        chapters=3,
        tags={
            "rating": ["Teen And Up Audiences"],
            "warning": ["No Archive Warnings Apply"],
            "category": ["F/F", "Gen"],
            "fandom": ["Saltmarsh Chronicles", "Lighthouse Keepers (TV)"],
            "relationship": ["Ada Renner/Mira Quell"],
            "character": ["Ada Renner", "Mira Quell"],
            "freeform": ["Slow Burn", "日本語のタグ"],
        },
    )
    work = Work.objects.get(pk=work.pk)
    back = parsed_from_work(work)
    assert back.title == "Lanterns at Low Tide"
    assert back.authors == ["inkwell_moth", "Ferris Lane"]
    assert back.tags["category"] == ["F/F", "Gen"]
    assert back.tags["fandom"] == ["Saltmarsh Chronicles", "Lighthouse Keepers (TV)"]
    assert back.tags["freeform"] == ["Slow Burn", "日本語のタグ"]
    assert [c.title for c in back.chapters] == ["Tide 1", "Tide 2", "Tide 3"]
    assert back.chapters[0].notes == "<p>A note before.</p>"
    assert back.chapters[2].end_notes == "<p>A note after.</p>"
    assert back.published == "2024-03-01" and back.updated == "2024-04-02"
    assert work.complete and work.expected_chapters == 3
    assert work.word_count == sum(count_words(c.body) for c in work.chapters.all()) > 0
    assert work.stats.kudos == 12 and work.stats.hits == 340
    assert Tag.objects.get(name="Teen And Up Audiences").canonical
    assert not Tag.objects.get(name="Slow Burn").canonical
    assert FilterTagging.objects.filter(work=work).count() == 11
    assert SearchOutbox.objects.filter(work_id=work.pk).exists()


def test_hostile_html_is_stripped_on_save(build_parsed: Callable[..., Any]) -> None:
    parsed = build_parsed("Hostile", chapters=1)
    parsed.chapters[0].html = (
        '<p onclick="steal()">Safe words.</p><script>alert(1)</script>'
        '<a href="javascript:alert(2)">link</a><img src="x" onerror="alert(3)">'
    )
    parsed.notes = '<p onmouseover="x()">note</p><iframe src="https://evil.example"></iframe>'
    outcome = do_import_work(parsed)
    work = Work.objects.get(pk=outcome.work_id)
    chapter = Chapter.objects.get(work=work)
    stored = (chapter.body + work.notes).lower()
    for forbidden in ("<script", "onclick", "onerror", "onmouseover", "javascript:", "<iframe", "alert"):
        assert forbidden not in stored
    assert "Safe words." in chapter.body
    assert chapter.sanitizer_version == SANITIZER_VERSION == work.sanitizer_version
    assert chapter.word_count == 3  # "Safe words." and "link"


def test_only_web_links_from_a_source_become_links(build_parsed: Callable[..., Any], client: Any) -> None:
    parsed = build_parsed("Linked", chapters=1)
    parsed.source.url = "javascript:alert(1)//archiveofourown.org/works/1"
    parsed.series = [SeriesRef("Tidelines", 1, url="JavaScript:alert(2)")]
    parsed.related = [
        RelatedWork("inspired_by", "Salt Accounts", url=" javascript:alert(3)"),
        RelatedWork("translation_of", "Sal", url="https://example.org/works/9"),
    ]
    work = Work.objects.get(pk=do_import_work(parsed).work_id)
    assert work.source_url == "" and work.serial_works.get().series.source_url == ""
    assert sorted(work.related.values_list("title", "url")) == [
        ("Sal", "https://example.org/works/9"),
        ("Salt Accounts", ""),
    ]
    page = client.get(f"/works/{work.pk}").content.decode().lower()
    assert "javascript:" not in page and 'href="https://example.org/works/9"' in page


def test_import_is_idempotent_and_updates_in_place(build_parsed: Callable[..., Any]) -> None:
    first = do_import_work(build_parsed("Growing", chapters=2))
    assert first.status == IMPORTED
    again = build_parsed("Growing", chapters=2)
    again.source.id = Work.objects.get(pk=first.work_id).source_id
    assert do_import_work(again).status == UNCHANGED
    longer = build_parsed("Growing", chapters=4)
    longer.source.id = again.source.id
    outcome = do_import_work(longer)
    assert outcome.status == UPDATED and outcome.work_id == first.work_id
    assert Work.objects.count() == 1
    assert list(Chapter.objects.filter(work_id=first.work_id).values_list("position", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_failed_import_leaves_nothing_half_written(
    monkeypatch: Any, build_parsed: Callable[..., Any]
) -> None:
    from fanarchive.archive.actions import imports

    do_import_work(build_parsed("Already here", chapters=1))

    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports, "_save_series_and_related", explode)
    with pytest.raises(RuntimeError):
        do_import_work(build_parsed("Doomed", chapters=3))
    assert list(Work.objects.values_list("title", flat=True)) == ["Already here"]
    assert Chapter.objects.count() == 1


def test_database_vendor_is_what_the_run_asked_for() -> None:
    import os

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
