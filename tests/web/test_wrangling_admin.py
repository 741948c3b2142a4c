from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.models import FilterTagging, Tag, Work

pytestmark = pytest.mark.django_db


def _form(tag: Tag, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "canonical": "on" if tag.canonical else "",
        "merger": tag.merger_id or "",
        "parent_links-TOTAL_FORMS": "0",
        "parent_links-INITIAL_FORMS": "0",
        "meta_links-TOTAL_FORMS": "0",
        "meta_links-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_staff_merge_a_synonym_and_listings_follow(
    admin_client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Tagged loosely", tags={"freeform": ["slow-burn"]})
    other = make_work("Tagged properly", tags={"freeform": ["Slow Burn"]})
    canonical = Tag.objects.get(name="Slow Burn")
    synonym = Tag.objects.get(name="slow-burn")
    response = admin_client.post(
        f"/admin/archive/tag/{canonical.pk}/change/", _form(canonical, canonical="on")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    canonical.refresh_from_db()
    assert canonical.canonical
    response = admin_client.post(
        f"/admin/archive/tag/{synonym.pk}/change/", _form(synonym, merger=canonical.pk)
    )
    assert response.status_code == 302
    synonym.refresh_from_db()
    assert synonym.merger_id == canonical.pk
    assert set(FilterTagging.objects.filter(tag=canonical).values_list("work_id", flat=True)) == {
        work.pk,
        other.pk,
    }
    listing = admin_client.get("/tags/slow-burn/works").content.decode()
    assert "Tagged loosely" in listing and "Tagged properly" in listing


def test_admin_refuses_a_merge_into_a_non_canonical_tag(
    admin_client: Client, make_work: Callable[..., Work]
) -> None:
    make_work(tags={"freeform": ["fluff", "Fluffy"]})
    fluff, fluffy = Tag.objects.get(name="fluff"), Tag.objects.get(name="Fluffy")
    response = admin_client.post(
        f"/admin/archive/tag/{fluff.pk}/change/", _form(fluff, merger=fluffy.pk), follow=True
    )
    assert "only canonical tags take synonyms" in response.content.decode()
    fluff.refresh_from_db()
    assert fluff.merger_id is None
