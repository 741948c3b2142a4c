from __future__ import annotations

from collections.abc import Callable

import pytest

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.tags import (
    do_add_meta_tag,
    do_make_canonical,
    do_merge_tag,
    find_or_create_tag,
)
from fanarchive.archive.models import FilterTagging, Tag, Work
from fanarchive.domain.tags import TagKind

pytestmark = pytest.mark.django_db


def _filter_names(work: Work) -> dict[str, bool]:
    return dict(FilterTagging.objects.filter(work=work).values_list("tag__name", "inherited"))


def test_synonym_files_works_under_its_canonical_tag(make_work: Callable[..., Work]) -> None:
    work = make_work(tags={"freeform": ["slowburn"]})
    canonical = find_or_create_tag("Slow Burn", TagKind.FREEFORM)
    do_make_canonical(canonical)
    assert "slowburn" in _filter_names(work)
    do_merge_tag(Tag.objects.get(name="slowburn"), canonical)
    names = _filter_names(work)
    assert "Slow Burn" in names and "slowburn" not in names


def test_meta_tags_are_inherited_through_levels(make_work: Callable[..., Work]) -> None:
    work = make_work(tags={"fandom": ["Saltmarsh Chronicles - Book 2"]})
    sub = Tag.objects.get(name="Saltmarsh Chronicles - Book 2")
    middle = find_or_create_tag("Saltmarsh Chronicles", TagKind.FANDOM)
    top = find_or_create_tag("Saltmarsh Universe", TagKind.FANDOM)
    for tag in (sub, middle, top):
        do_make_canonical(tag)
    do_add_meta_tag(middle, sub)
    do_add_meta_tag(top, middle)
    assert _filter_names(work) == {
        "Saltmarsh Chronicles - Book 2": False,
        "Saltmarsh Chronicles": True,
        "Saltmarsh Universe": True,
    }
    with pytest.raises(ActionError, match="loop"):
        do_add_meta_tag(sub, top)


def test_merge_checks_kinds_and_canonicity(make_work: Callable[..., Work]) -> None:
    make_work(tags={"character": ["Ada"], "freeform": ["Fluff"]})
    ada, fluff = Tag.objects.get(name="Ada"), Tag.objects.get(name="Fluff")
    with pytest.raises(ActionError, match="not canonical"):
        do_merge_tag(fluff, ada)
    do_make_canonical(ada)
    with pytest.raises(ActionError, match="character tag"):
        do_merge_tag(fluff, ada)


def test_official_spellings_map_to_canonical_tags() -> None:
    assert find_or_create_tag("underage", TagKind.WARNING).name == "Underage Sex"
    assert find_or_create_tag("teen and up audiences", TagKind.RATING).canonical
