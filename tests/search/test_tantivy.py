"""What only the tantivy backend has: an index directory on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanarchive.domain.query import SearchQuery
from fanarchive.search.documents import SearchDocument
from fanarchive.search.tantivy_backend import TantivyBackend

from .conftest import TAGS, VISIBLE, corpus


def test_index_survives_reopening(tmp_path: Path) -> None:
    first = TantivyBackend(tmp_path)
    first.index(corpus())
    first.index_tags(TAGS)
    first.commit()
    first.close()
    again = TantivyBackend(tmp_path)
    assert again.count() == 8
    assert set(again.search(SearchQuery(per_page=50)).ids) == VISIBLE
    assert [s.name for s in again.autocomplete_tags("hurt")] == ["Hurt/Comfort"]


def test_an_index_of_another_layout_version_is_wiped(tmp_path: Path) -> None:
    first = TantivyBackend(tmp_path)
    first.index(corpus())
    first.commit()
    first.close()
    (tmp_path / "VERSION").write_text("0\n")
    assert TantivyBackend(tmp_path).count() == 0
    assert (tmp_path / "VERSION").read_text().strip() != "0"


def test_a_reader_sees_a_writers_commits(tmp_path: Path) -> None:
    reader = TantivyBackend(tmp_path)
    writer = TantivyBackend(tmp_path)
    assert reader.search(SearchQuery()).total == 0
    writer.index(corpus())
    writer.commit()
    assert reader.search(SearchQuery(facets=True)).total == len(VISIBLE)
    writer.delete([1])
    writer.commit()
    result = reader.search(SearchQuery(facets=True))
    assert result.total == len(VISIBLE) - 1
    assert "Mature" not in [f.name for f in result.facets["rating"]]


def test_work_ids_must_fit_32_bits(tmp_path: Path) -> None:
    backend = TantivyBackend(tmp_path)
    with pytest.raises(ValueError, match="outside"):
        backend.index([SearchDocument(2**32, "Too big")])
