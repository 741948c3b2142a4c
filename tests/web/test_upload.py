"""A new work from a file: read in the import's limited worker, stored as the uploader's draft, the
reader's doubts shown for review; a bad or hostile file is named with its reason and stores nothing."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fanarchive.archive.actions.imports import do_import_work
from fanarchive.archive.exports.copy import export_work
from fanarchive.archive.models import Creatorship, User, Work
from support import docx_builder
from support.hostile_files import write_hostile

pytestmark = pytest.mark.django_db

Build = Callable[..., Any]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def author(client: Client) -> User:
    user = User.objects.create_user("uploader", password="x")
    client.force_login(user)
    return user


def _upload(client: Client, name: str, data: bytes) -> Any:
    return client.post("/works/new/upload", {"file": SimpleUploadedFile(name, data)})


def _draft_from(response: Any) -> Work:
    assert response.status_code == 302, response.content.decode()[:2000]
    found = re.fullmatch(r"/works/(\d+)/review", response["Location"])
    assert found, response["Location"]
    return Work.objects.get(pk=int(found.group(1)))


def _credited(work: Work) -> list[str]:
    return [
        c.pseud.user.username for c in Creatorship.objects.filter(work=work).select_related("pseud__user")
    ]


def test_the_page_needs_a_login(client: Client) -> None:
    assert client.get("/works/new/upload").status_code == 302
    assert client.post("/works/new/upload", {"file": SimpleUploadedFile("a.txt", b"text")}).status_code == 302
    assert not Work.objects.exists()


def test_a_docx_becomes_the_uploader_s_draft_with_its_doubts_shown(client: Client, author: User) -> None:
    form = client.get("/works/new/upload").content.decode()
    assert 'enctype="multipart/form-data"' in form and "csrfmiddlewaretoken" in form

    draft = _draft_from(_upload(client, "orchard.docx", docx_builder.styled_document()))

    assert draft.title == "The Orchard Keeper" and not draft.posted
    assert _credited(draft) == ["uploader"]
    assert draft.chapters.count() == 2
    assert draft.source_extra["byline"] == ["Marisol Endicott"]
    review = client.get(f"/works/{draft.pk}/review").content.decode()
    assert "The Orchard Keeper" in review and "Marisol Endicott" in review
    for doubt in draft.source_extra["doubts"]:
        assert doubt.replace("'", "&#x27;").replace('"', "&quot;") in review
    assert f'href="/works/{draft.pk}/edit"' in review
    assert f'action="/works/{draft.pk}/post"' in review
    assert f'href="/works/{draft.pk}/preview"' in review
    # A draft: nobody else sees it, and the review page is its creator's alone.
    assert Client().get(f"/works/{draft.pk}").status_code == 404
    other = Client()
    other.force_login(User.objects.create_user("someone", password="x"))
    assert other.get(f"/works/{draft.pk}/review").status_code == 404
    assert other.get(f"/works/{draft.pk}").status_code == 404
    # Posting it from there (the New Work form's own post route) makes it public.
    assert client.post(f"/works/{draft.pk}/post").status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.posted
    assert Client().get(f"/works/{draft.pk}/chapters/1").status_code == 200


def test_the_reader_s_doubts_are_shown_before_posting(client: Client, author: User) -> None:
    draft = _draft_from(_upload(client, "low-tide.txt", b"Some words here.\n\nMore words.\n"))
    assert draft.source_extra["doubts"] == [
        "The document names no title; the file name was used.",
        "The document names no author.",
    ]
    review = client.get(f"/works/{draft.pk}/review").content.decode()
    assert '<ul class="doubts"><li>The document names no title; the file name was used.</li>' in review
    assert "<li>The document names no author.</li>" in review


@pytest.mark.parametrize("fmt", ["txt", "epub"])
def test_our_own_downloads_come_back_as_drafts(
    fmt: str, client: Client, author: User, build_parsed: Build
) -> None:
    original = Work.objects.get(pk=do_import_work(build_parsed("Lantern Keeper", chapters=2)).work_id)
    out = io.BytesIO()
    export_work(original.pk, fmt, out)

    draft = _draft_from(_upload(client, f"Lantern Keeper.{fmt}", out.getvalue()))

    assert draft.pk != original.pk and draft.title == "Lantern Keeper"
    assert draft.chapters.count() == 2 and not draft.posted
    assert _credited(draft) == ["uploader"]
    # The archive's own copy is untouched and still its author's.
    assert _credited(original) == ["quietharbour"]
    assert Work.objects.get(pk=original.pk).posted


def test_a_bad_file_is_named_with_its_reason_and_nothing_is_stored(client: Client, author: User) -> None:
    response = _upload(client, "notes.bin", bytes((n * 7919 + 13) % 256 for n in range(4096)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "“notes.bin” could not be made into a draft" in page and "unknown format" in page
    assert not Work.objects.exists()


def test_a_file_over_the_limit_is_refused(client: Client, author: User, settings: Any) -> None:
    settings.UPLOAD_MAX_MB = 1
    page = _upload(client, "big.txt", b"word " * 220_000).content.decode()
    assert "“big.txt” could not be made into a draft: it is larger than 1 MB" in page
    assert not Work.objects.exists()


def test_a_file_of_several_works_is_refused(client: Client, author: User) -> None:
    dump = (FIXTURES / "efiction" / "archive" / "backup.sql").read_bytes()
    page = _upload(client, "backup.sql", dump).content.decode()
    assert "it holds 3 works; upload one work at a time" in page
    assert not Work.objects.exists()


def test_hostile_files_are_refused_by_name(
    client: Client, author: User, tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_TIMEOUT = 5
    cases = write_hostile(tmp_path)
    for name in ("garbage.docx", "nested.json", "entities.epub", "surrogates.json", "bad-types.json"):
        assert name in cases
        response = _upload(client, name, (tmp_path / name).read_bytes())
        if response.status_code == 302:
            # Read safely into a harmless draft (the sanitiser's business): still the uploader's own.
            draft = _draft_from(response)
            assert not draft.posted and _credited(draft) == ["uploader"]
            draft.delete()
            continue
        page = response.content.decode()
        assert f"“{name}” could not be made into a draft:" in page, name
    # The 40 MB one-line page is over the size limit before anything reads it.
    page = _upload(client, "one-line.html", (tmp_path / "one-line.html").read_bytes()).content.decode()
    assert "“one-line.html” could not be made into a draft: it is larger than 10 MB" in page
    assert not Work.objects.exists()


def test_a_work_the_database_refuses_is_named_not_a_server_error(
    client: Client, author: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")

    monkeypatch.setattr("fanarchive.archive.imports.drafts.do_import_work", refuse)
    response = _upload(client, "nul.txt", b"Some words.\n")
    assert response.status_code == 200
    assert "“nul.txt” could not be made into a draft: it could not be stored (ValueError)." in (
        response.content.decode()
    )
    assert not Work.objects.exists()


def test_the_new_work_form_links_to_the_upload(client: Client, author: User) -> None:
    assert 'href="/works/new/upload"' in client.get("/works/new").content.decode()
