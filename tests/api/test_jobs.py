"""Import and export jobs through the API: who may start them, what they store and answer, and that
nobody reads another's job or exports a work they may not see."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fanarchive.archive.actions.accounts import do_set_role
from fanarchive.archive.actions.api_jobs import job_folder
from fanarchive.archive.actions.api_tokens import do_create_api_token
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.works import do_set_work_flags
from fanarchive.archive.models import ApiJob, User, Work
from fanarchive.domain.work import ParsedWork, works_to_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_inline")]


def account(name: str, *, staff: bool = False) -> User:
    user = User.objects.create_user(name, password="x", is_staff=staff)
    do_ensure_default_pseud(user)
    return user


def bearer(user: User, *scopes: str) -> dict[str, str]:
    _token, plaintext = do_create_api_token(user, "test", scopes)
    return {"Authorization": f"Bearer {plaintext}"}


def work_json(*works: ParsedWork) -> bytes:
    return works_to_json(list(works)).encode()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_staff_import_a_zip_and_a_file_and_poll_each_files_outcome(
    client: Client, build_parsed: Callable[..., ParsedWork]
) -> None:
    staff = account("keeper", staff=True)
    bundle = zipped(
        {
            "gulls.json": work_json(build_parsed("Gull Weather", authors=("wren",))),
            "broken.json": b'{"works": [',
        }
    )
    files = [
        SimpleUploadedFile("bundle.zip", bundle, "application/zip"),
        SimpleUploadedFile("lamp.json", work_json(build_parsed("Lamp Oil", authors=("wren",)))),
    ]
    answer = client.post("/api/v1/imports", {"files": files}, headers=bearer(staff, "import"))
    assert answer.status_code == 202, answer.content
    job = answer.json()
    assert job["kind"] == "import" and job["status"] == "done"
    assert job["request"]["files"] == ["bundle.zip", "lamp.json"]
    counts = job["outcome"]["counts"]
    assert (counts["imported"], counts["failed"]) == (2, 1)
    by_name = {o["file"]: o for o in job["outcome"]["outcomes"]}
    (broken,) = [o for name, o in by_name.items() if "broken.json" in name]
    assert broken["status"] == "failed" and broken["reason"]
    assert by_name["lamp.json"]["works"][0]["title"] == "Lamp Oil"
    assert set(Work.objects.values_list("title", flat=True)) == {"Gull Weather", "Lamp Oil"}
    # Polling answers the same job; the uploads are not kept once imported.
    polled = client.get(job["url"], headers=bearer(staff, "import")).json()
    assert polled["outcome"] == job["outcome"]
    assert not (job_folder(ApiJob.objects.get()) / "uploads").exists()


def test_importing_into_an_account_credits_it(
    client: Client, build_parsed: Callable[..., ParsedWork]
) -> None:
    staff, ada = account("keeper", staff=True), account("ada")
    upload = SimpleUploadedFile("tide.json", work_json(build_parsed("Tide Table", authors=("someone",))))
    answer = client.post(
        "/api/v1/imports", {"files": [upload], "owner": "ada"}, headers=bearer(staff, "import")
    )
    assert answer.status_code == 202
    work = Work.objects.get(title="Tide Table")
    assert list(work.creatorships.values_list("pseud__user", flat=True)) == [ada.pk]


@pytest.mark.parametrize(
    ("staff", "scopes", "status"),
    [(False, ("import",), 403), (True, ("read", "write"), 403)],
)
def test_only_staff_and_archivists_with_the_import_scope_may_import(
    client: Client, staff: bool, scopes: tuple[str, ...], status: int
) -> None:
    user = account("someone", staff=staff)
    upload = SimpleUploadedFile("x.json", b'{"works": []}')
    answer = client.post("/api/v1/imports", {"files": [upload]}, headers=bearer(user, *scopes))
    assert answer.status_code == status
    assert answer["Content-Type"] == "application/problem+json"
    assert ApiJob.objects.count() == 0


def test_an_archivist_may_import(client: Client, build_parsed: Callable[..., ParsedWork]) -> None:
    archivist = account("archie")
    do_set_role(archivist, "archivist", granted=True)
    upload = SimpleUploadedFile("a.json", work_json(build_parsed("Salt Road")))
    assert (
        client.post("/api/v1/imports", {"files": [upload]}, headers=bearer(archivist, "import")).status_code
        == 202
    )


def test_a_job_is_its_owners_only(client: Client, build_parsed: Callable[..., ParsedWork]) -> None:
    staff, other = account("keeper", staff=True), account("other2", staff=True)
    upload = SimpleUploadedFile("a.json", work_json(build_parsed("Salt Road")))
    job = client.post("/api/v1/imports", {"files": [upload]}, headers=bearer(staff, "import")).json()
    assert client.get(job["url"], headers=bearer(other, "import")).status_code == 404
    assert client.get("/api/v1/imports/nosuchjob", headers=bearer(staff, "import")).status_code == 404


def test_an_epub_comes_at_once_and_a_pdf_by_a_job(client: Client, make_work: Callable[..., Work]) -> None:
    work = make_work("Lighthouse Hours")
    reader = account("reader")
    epub = client.post(
        "/api/v1/exports", {"work_id": work.pk, "format": "epub"}, content_type="application/json"
    )
    assert epub.status_code == 200 and epub["Content-Type"] == "application/epub+zip"
    assert b"".join(epub.streaming_content)[:2] == b"PK"  # type: ignore[attr-defined]
    assert "Lighthouse_Hours.epub" in epub["Content-Disposition"]
    headers = bearer(reader, "read")
    answer = client.post(
        "/api/v1/exports",
        {"work_id": work.pk, "format": "pdf"},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 202
    job = answer.json()
    assert job["status"] == "done" and job["outcome"]["format"] == "pdf" and job["outcome"]["size"] > 0
    pdf = client.get(job["file_url"], headers=headers)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    # Hidden by staff since: the job's file is gone with it, as the work page is.
    do_set_work_flags(work, posted=True, restricted=False, hidden_by_admin=True)
    assert client.get(job["file_url"], headers=headers).status_code == 404


def test_an_unknown_format_or_an_unseen_work_is_refused(
    client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Lighthouse Hours")
    bad = client.post(
        "/api/v1/exports", {"work_id": work.pk, "format": "doc"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "unknown format" in bad.json()["detail"]
    do_set_work_flags(work, posted=True, restricted=True, hidden_by_admin=False)
    hidden = client.post(
        "/api/v1/exports", {"work_id": work.pk, "format": "epub"}, content_type="application/json"
    )
    missing = client.post(
        "/api/v1/exports", {"work_id": 999999, "format": "epub"}, content_type="application/json"
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_an_upload_over_the_limits_is_refused_whole(
    client: Client, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    staff = account("keeper", staff=True)
    monkeypatch.setattr("fanarchive.archive.actions.api_jobs.MAX_IMPORT_FILES", 2)
    files = [SimpleUploadedFile(f"{n}.json", b'{"works": []}') for n in range(3)]
    answer = client.post("/api/v1/imports", {"files": files}, headers=bearer(staff, "import"))
    assert answer.status_code == 400 and "At most 2 files" in answer.json()["detail"]
    monkeypatch.setattr("fanarchive.archive.actions.api_jobs.MAX_IMPORT_MB", 0)
    one = [SimpleUploadedFile("a.json", b'{"works": []}')]
    answer = client.post("/api/v1/imports", {"files": one}, headers=bearer(staff, "import"))
    assert answer.status_code == 400 and "MB" in answer.json()["detail"]
    assert ApiJob.objects.count() == 0
    assert not (settings.HOME / "api-jobs").exists() or not any((settings.HOME / "api-jobs").iterdir())
