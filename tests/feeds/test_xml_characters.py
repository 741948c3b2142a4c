"""Feeds stay well-formed XML when stored text holds characters XML 1.0 forbids: titles, tag and
chapter names are stored as given, and rows cleaned by sanitiser version 1 may hold them in HTML."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.feeds.conftest import Fetch, texts

from fanarchive.archive.models import Chapter, Tag, Work

pytestmark = pytest.mark.django_db

BAD = "\x01\x08\x0b\x0c\x1b\x1f\ufffe\uffff"


def test_atom_and_opds_drop_forbidden_characters(fetch: Fetch, make_work: Callable[..., Work]) -> None:
    work = make_work(f"Fish{BAD} Supper", tags={"fandom": [f"Salt{BAD}marsh"], "freeform": [f"Gulls{BAD}"]})
    # As a row stored before sanitiser version 2 could hold it.
    Work.objects.filter(pk=work.pk).update(summary=f"<p>Boats{BAD} and weather</p>")
    Chapter.objects.filter(work=work).update(title=f"Low{BAD} Tide")
    fandom = Tag.objects.get(kind="fandom").name
    documents = [
        fetch(f"/tags/{fandom}/feed.atom", "atom"),
        fetch(f"/works/{work.pk}/feed.atom", "atom"),
        fetch("/opds/recent", "acquisition"),
        fetch(f"/opds/fandoms/{fandom}", "acquisition"),
        fetch("/opds/fandoms", "navigation"),
    ]
    for document in documents[:1] + documents[2:4]:
        assert texts(document, "a:entry/a:title/text()") == ["Fish Supper"]
    opds_summary = " ".join(texts(documents[2], "a:entry/a:summary/text()"))
    assert "Boats and weather" in opds_summary
    # Tag names read \x0b and \x0c as spaces when they are stored; the rest is gone.
    assert "Salt marsh" in " ".join(" ".join(texts(documents[4], "a:entry/a:title/text()")).split())
