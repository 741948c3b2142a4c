from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.models import SearchOutbox, StatCounter, Work

pytestmark = pytest.mark.django_db


def _hits(work: Work) -> int:
    return StatCounter.objects.get(work=work).hits


def test_a_hit_counts_once_per_visitor_per_day(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work(chapters=2)
    before = _hits(work)
    client.get(f"/works/{work.pk}/chapters/1")
    client.get(f"/works/{work.pk}/chapters/2")
    client.get(f"/works/{work.pk}?view_full_work=true")
    assert _hits(work) == before + 1
    Client(HTTP_USER_AGENT="another browser").get(f"/works/{work.pk}/chapters/1")
    assert _hits(work) == before + 2
    client.get("/works/999999/chapters/1")
    assert _hits(work) == before + 2


def test_kudos_once_per_guest_without_javascript(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work()
    before = StatCounter.objects.get(work=work).kudos
    SearchOutbox.objects.all().delete()
    page = client.get(f"/works/{work.pk}/chapters/1").content.decode()
    assert f'action="/works/{work.pk}/kudos"' in page
    first = client.post(f"/works/{work.pk}/kudos", {"next": f"/works/{work.pk}/chapters/1"})
    assert first.status_code == 302 and first["Location"] == f"/works/{work.pk}/chapters/1?kudos=left#kudos"
    again = client.post(f"/works/{work.pk}/kudos", {"next": "https://evil.example/"})
    assert again["Location"] == f"/works/{work.pk}?kudos=again#kudos"
    assert StatCounter.objects.get(work=work).kudos == before + 1
    assert SearchOutbox.objects.filter(work_id=work.pk).count() == 1
    assert client.get(f"/works/{work.pk}/kudos").status_code == 405


def test_series_page_lists_visible_parts_in_order(client: Client, make_work: Callable[..., Work]) -> None:
    from fanarchive.domain.work import SeriesRef

    second = make_work("Second Light", series=[SeriesRef(title="Lamps", position=2)])
    first = make_work("First Light", series=[SeriesRef(title="Lamps", position=1)])
    series_id = first.serial_works.get().series_id
    assert second.serial_works.get().series_id == series_id
    page = client.get(f"/series/{series_id}").content.decode()
    assert page.index("First Light") < page.index("Second Light")
    assert f'href="/series/{series_id}"' in client.get(f"/works/{first.pk}", follow=True).content.decode()
    Work.objects.filter(pk__in=[first.pk, second.pk]).update(restricted=True)
    assert client.get(f"/series/{series_id}").status_code == 404
