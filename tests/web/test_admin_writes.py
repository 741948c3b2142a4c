"""The admin writes through the actions: checks apply, the search outbox hears of every change."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.models import MetaTagging, SearchOutbox, Tag, User, Work

pytestmark = pytest.mark.django_db


def _inline_forms(**rows: object) -> dict[str, object]:
    data: dict[str, object] = {
        "parent_links-TOTAL_FORMS": "0",
        "parent_links-INITIAL_FORMS": "0",
        "meta_links-TOTAL_FORMS": "0",
        "meta_links-INITIAL_FORMS": "0",
    }
    data.update(rows)
    return data


def test_deleting_a_work_in_the_admin_queues_its_removal_from_search(
    admin_client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Going Away")
    SearchOutbox.objects.all().delete()
    response = admin_client.post(f"/admin/archive/work/{work.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Work.objects.filter(pk=work.pk).exists()
    assert list(SearchOutbox.objects.values_list("work_id", flat=True)) == [work.pk]


def test_bulk_deleting_works_in_the_admin_queues_each(
    admin_client: Client, make_work: Callable[..., Work]
) -> None:
    works = [make_work("One"), make_work("Two")]
    SearchOutbox.objects.all().delete()
    ids = [w.pk for w in works]
    response = admin_client.post(
        "/admin/archive/work/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert not Work.objects.filter(pk__in=ids).exists()
    assert sorted(SearchOutbox.objects.values_list("work_id", flat=True)) == sorted(ids)


def test_the_admin_offers_no_add_work_screen(admin_client: Client) -> None:
    assert admin_client.get("/admin/archive/work/add/").status_code == 403


def test_a_new_tag_from_the_admin_is_normalised_and_refused_twice(admin_client: Client) -> None:
    data = _inline_forms(name="  Slow   Burn ", kind="freeform")
    assert admin_client.post("/admin/archive/tag/add/", data).status_code == 302
    tag = Tag.objects.get(name="Slow Burn")
    assert tag.kind == "freeform" and tag.key
    again = admin_client.post("/admin/archive/tag/add/", _inline_forms(name="slow burn", kind="freeform"))
    assert again.status_code == 200 and "already exists" in again.content.decode()
    assert Tag.objects.filter(kind="freeform").count() == 1


def test_an_inline_meta_link_goes_through_check_add_meta_tag(
    admin_client: Client, make_work: Callable[..., Work]
) -> None:
    make_work(tags={"freeform": ["Angst", "Hurt/Comfort"]})
    angst, hurt = Tag.objects.get(name="Angst"), Tag.objects.get(name="Hurt/Comfort")
    # Neither is canonical: the admin used to save this link anyway.
    form = _inline_forms(
        **{"meta_links-TOTAL_FORMS": "1", "meta_links-0-meta": angst.pk, "meta_links-0-sub": hurt.pk}
    )
    response = admin_client.post(f"/admin/archive/tag/{hurt.pk}/change/", form, follow=True)
    assert "meta and sub tags must both be canonical" in response.content.decode().lower()
    assert not MetaTagging.objects.exists()
    Tag.objects.filter(pk__in=[angst.pk, hurt.pk]).update(canonical=True)
    form["canonical"] = "on"
    response = admin_client.post(f"/admin/archive/tag/{hurt.pk}/change/", form, follow=True)
    assert MetaTagging.objects.filter(meta=angst, sub=hurt).exists()


def test_default_pseud_is_a_getter_and_the_action_makes_one() -> None:
    user = User.objects.create(username="quill")
    assert user.default_pseud() is None and not user.pseuds.exists()
    pseud = do_ensure_default_pseud(user)
    assert pseud.name == "quill" and pseud.is_default
    assert do_ensure_default_pseud(user) == pseud == user.default_pseud()


@pytest.mark.parametrize("model", ["user", "pseud", "series"])
def test_accounts_pseuds_and_series_are_looked_up_in_the_admin_never_written(
    admin_client: Client, make_work: Callable[..., Work], model: str
) -> None:
    work = make_work("Kept Apart", owner="wren")
    row = {"user": lambda: User.objects.get(username="wren"), "pseud": lambda: work.creatorships.get().pseud}
    from fanarchive.archive.models import Series

    target = row[model]() if model in row else Series.objects.create(title="Kept Series")
    assert admin_client.get(f"/admin/archive/{model}/").status_code == 200
    assert admin_client.get(f"/admin/archive/{model}/{target.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/archive/{model}/add/").status_code == 403
    admin_client.post(
        f"/admin/archive/{model}/{target.pk}/change/", {"username": "x", "name": "x", "title": "x"}
    )
    assert (
        admin_client.post(f"/admin/archive/{model}/{target.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    target.refresh_from_db()
    assert "x" not in {getattr(target, field, None) for field in ("username", "name", "title")}


def test_the_admin_deletes_an_account_by_orphaning_its_works(
    admin_client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Left Behind", owner="wren")
    wren = User.objects.get(username="wren")
    response = admin_client.post(
        "/admin/archive/user/", {"action": "delete_orphaning_works", "_selected_action": [wren.pk]}
    )
    assert response.status_code == 302
    assert not User.objects.filter(username="wren").exists()
    assert [c.pseud.user.username for c in Work.objects.get(pk=work.pk).creatorships.all()] == [
        "orphan_account"
    ]
    assert work.pk in set(SearchOutbox.objects.values_list("work_id", flat=True))
