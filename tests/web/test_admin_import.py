"""The staff "Import files" page: staff only (others are sent to log in), and it runs the same
import as the command, with the same per-file outcomes shown as a table."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fanarchive.archive.models import Work

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGE = "/admin/archive/work/import/"


def test_guests_and_readers_cannot_reach_the_import_page(client: Client, django_user_model: type) -> None:
    assert client.get(PAGE).status_code == 302
    reader = django_user_model.objects.create_user("reader", password="pw-reader-123")
    client.force_login(reader)
    response = client.post(PAGE, {"uploads": SimpleUploadedFile("a.txt", b"Story\n\nText.\n")})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Work.objects.exists()


def test_staff_upload_files_and_a_zip_and_see_each_outcome(admin_client: Client) -> None:
    assert "Import files" in admin_client.get("/admin/archive/work/").content.decode()
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.write(FIXTURES / "plain" / "lamplighter.txt", "lamplighter.txt")
        archive.writestr("inner.zip", b"PK\x05\x06" + b"\x00" * 18)
    uploads = [
        SimpleUploadedFile("bell-tower.txt", (FIXTURES / "plain" / "bell-tower.txt").read_bytes()),
        SimpleUploadedFile("bundle.zip", bundle.getvalue()),
        SimpleUploadedFile("broken.json", b'{"works": [{"title": 1, "chapters": 5}]}'),
    ]
    response = admin_client.post(PAGE, {"uploads": uploads})
    assert response.status_code == 200
    page = response.content.decode()
    assert "imported 2, updated 0, unchanged 0, failed 2" in page
    rows = response.context["report"].outcomes
    assert {(row.name, row.status) for row in rows} == {
        ("bell-tower.txt", "imported"),
        ("bundle.zip:lamplighter.txt", "imported"),
        ("bundle.zip:inner.zip", "failed"),
        ("broken.json", "failed"),
    }
    assert "a zip inside a zip" in page and "broken.json" in page
    assert sorted(Work.objects.values_list("title", flat=True)) == ["The Lamplighter's Ledger", "bell-tower"]
