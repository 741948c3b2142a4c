"""An ODT uploaded from the new-work page becomes the uploader's draft like a DOCX, and a hostile
one is refused by name, read in the import's limited worker like every upload."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fanarchive.archive.models import User, Work
from support import odt_builder

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(client: Client) -> User:
    user = User.objects.create_user("uploader", password="x")
    client.force_login(user)
    return user


def test_the_page_names_odt_among_its_formats(client: Client, author: User) -> None:
    page = client.get("/works/new/upload").content.decode()
    assert "DOCX, ODT, EPUB" in page
    assert re.search(r"<summary>Formats read</summary><p>[^<]*\bodt\b", page)


def test_an_odt_becomes_the_uploader_s_draft(client: Client, author: User) -> None:
    data = odt_builder.styled_document()
    response = client.post("/works/new/upload", {"file": SimpleUploadedFile("salt.odt", data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    found = re.fullmatch(r"/works/(\d+)/review", response["Location"])
    assert found
    draft = Work.objects.get(pk=int(found.group(1)))
    assert draft.title == "The Salt Road" and not draft.posted
    assert draft.chapters.count() == 2
    assert draft.source_extra["byline"] == ["Ines Calloway"]
    first = draft.chapters.order_by("position").first()
    assert first is not None and "<strong>cold</strong>" in first.body


def test_a_billion_laughs_odt_is_refused_by_name(client: Client, author: User) -> None:
    laughs = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    body = odt_builder.content("<text:p>&b;</text:p>").split("\n", 1)[1]
    data = odt_builder.pack({"content.xml": laughs + body})
    response = client.post("/works/new/upload", {"file": SimpleUploadedFile("laughs.odt", data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“laughs.odt” could not be made into a draft" in page
    assert "declares a DTD or XML entities" in page
    assert not Work.objects.exists()
