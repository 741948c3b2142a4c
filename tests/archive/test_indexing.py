"""The database side of search: documents, the outbox drain, and a full rebuild."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fanarchive.archive.actions.tags import do_make_canonical, do_merge_tag
from fanarchive.archive.indexing.documents import build_documents
from fanarchive.archive.indexing.indexer import drain_all, fill_if_empty, reindex_all
from fanarchive.archive.indexing.service import make_backend, searcher
from fanarchive.archive.models import SearchOutbox, Tag, Work
from fanarchive.domain.query import SearchQuery

pytestmark = pytest.mark.django_db


def test_documents_carry_text_tags_and_visibility(make_work: Callable[..., Work]) -> None:
    work = make_work(
        "Lanterns",
        tags={"fandom": ["Saltmarsh Chronicles", "Lighthouse Keepers (TV)"], "freeform": ["slowburn"]},
        language="Español",
    )
    Work.objects.filter(pk=work.pk).update(restricted=True)
    [doc] = build_documents([work.pk])
    assert doc.title == "Lanterns" and doc.authors == ["quietharbour"]
    assert [c.number for c in doc.chapters] == [1, 2, 3]
    assert "for the 2 time" in doc.chapters[1].text and "<p>" not in doc.chapters[1].text
    assert "A note before." in doc.notes and "A note after." in doc.notes
    assert doc.crossover and doc.language == "es" and doc.restricted and doc.posted
    assert {name for _id, name in doc.tags["fandom"]} == {"Saltmarsh Chronicles", "Lighthouse Keepers (TV)"}
    assert len(doc.filter_tag_ids) == 3
    assert doc.kudos == 12 and doc.hits == 340


def test_changes_reach_search_through_the_outbox(make_work: Callable[..., Work]) -> None:
    work = make_work("Needle", tags={"freeform": ["slowburn"]})
    make_work("Haystack", tags={"freeform": ["Slow Burn"]})
    backend = searcher()
    assert SearchOutbox.objects.count() == 0
    assert backend.search(SearchQuery(text='"for the 3 time"')).total == 2
    canonical = Tag.objects.get(name="Slow Burn")
    do_make_canonical(canonical)
    do_merge_tag(Tag.objects.get(name="slowburn"), canonical)
    result = searcher().search(SearchQuery(include_tag_ids=(canonical.pk,)))
    assert result.total == 2
    Work.objects.filter(pk=work.pk).delete()
    SearchOutbox.objects.create(work_id=work.pk)
    assert searcher().search(SearchQuery(include_tag_ids=(canonical.pk,))).ids != [work.pk]
    assert searcher().search(SearchQuery(text="Needle")).total == 0


def test_reindex_rebuilds_a_tantivy_index_from_the_database(
    make_work: Callable[..., Work], settings: Any, tmp_path: Path
) -> None:
    settings.HOME = tmp_path
    for n in range(5):
        make_work(f"Work {n}", chapters=1)
    hidden = make_work("Hidden away", chapters=1)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    backend = make_backend("tantivy")
    try:
        assert reindex_all(backend) == 6
        assert SearchOutbox.objects.count() == 0
        assert backend.count() == 6
        result = backend.search(SearchQuery(text="counted the gulls", per_page=50))
        assert result.total == 5 and hidden.pk not in result.ids
        assert drain_all(backend) == 0
    finally:
        backend.close()


def test_an_index_dropped_for_a_new_layout_is_filled_again(
    make_work: Callable[..., Work], settings: Any, tmp_path: Path
) -> None:
    settings.HOME = tmp_path
    for n in range(3):
        make_work(f"Work {n}", chapters=1)
    backend = make_backend("tantivy")
    try:
        reindex_all(backend)
        assert fill_if_empty(backend) == 0  # a filled index is left alone
    finally:
        backend.close()
    (tmp_path / "search" / "VERSION").write_text("0\n")  # as an older release left it
    backend = make_backend("tantivy")
    try:
        assert backend.count() == 0
        assert fill_if_empty(backend) == 3
        assert drain_all(backend) == 3
        assert backend.search(SearchQuery(text="Work")).total == 3
    finally:
        backend.close()
