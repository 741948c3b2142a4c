"""Every page carries AO3's header search box, and what it submits is the works search."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.models import Work

pytestmark = pytest.mark.django_db


def test_header_search_box_searches_story_text(client: Client, make_work: Callable[..., Work]) -> None:
    make_work("Gulls")
    make_work("Quiet", chapters=1)
    work = Work.objects.get(title="Quiet")
    page = client.get(f"/works/{work.pk}").content.decode()
    form = re.search(
        r'<form class="site-search" role="search" action="([^"]+)" method="get">(.*?)</form>', page, re.S
    )
    assert form is not None and form.group(1) == "/works"
    assert re.search(r'<label[^>]*for="site-search-q"[^>]*>Search works</label>', form.group(2))
    assert 'id="site-search-q" type="search" name="q"' in form.group(2)
    # The words of a chapter body, as the box submits them: both works say them, in chapter 1.
    results = client.get("/works", {"q": '"counted the gulls"'}).content.decode()
    assert "2 Works" in results and "Gulls" in results and "Quiet" in results
    assert "1 Work" in client.get("/works", {"q": "title:Gulls"}).content.decode()
