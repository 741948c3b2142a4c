"""The made downloads and the API import jobs' uploads in an S3 bucket (FANARCHIVE_S3_BUCKET), as a
site of several machines keeps them: against a real S3-compatible server (moto's, on a loopback
port), through the settings' own STORAGES entries and django-storages."""

from __future__ import annotations

import importlib
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import fanarchive.settings as project_settings
from fanarchive.archive.actions.api_jobs import DONE, do_create_import_job, run_api_job
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.exports import cache as downloads
from fanarchive.archive.exports.interchange import parsed_from_work
from fanarchive.archive.models import Chapter, User, Work
from fanarchive.domain.exports import EXPORT_FORMATS, ExportFormat
from fanarchive.domain.work import ParsedWork, works_to_json

pytestmark = pytest.mark.django_db

MakeWork = Callable[..., Work]


def _require(module: str) -> ModuleType:
    """The module, or a skip saying what to install; CI must have it (the `test` extra)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed (pip install -e '.[test]')")
        pytest.skip(f"{module} is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    _require("storages.backends.s3")
    server = _require("moto.server").ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Bucket:
    def __init__(self, name: str) -> None:
        self.name = name
        self.client = _require("boto3").client("s3")

    def keys(self, prefix: str = "") -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(entry["Key"] for entry in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=self.name, Key=key)["Body"].read()
        return body


@pytest.fixture
def bucket(
    s3_endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Bucket]:
    """A fresh bucket behind both storages, configured as docs/scaling.md says: FANARCHIVE_S3_BUCKET
    and boto3's own AWS_* variables (the endpoint among them), nothing else."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_S3": s3_endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    shared = Bucket(f"fanarchive-{uuid.uuid4().hex[:12]}")
    shared.client.create_bucket(Bucket=shared.name)
    monkeypatch.setattr(project_settings, "_S3_BUCKET", shared.name)
    settings.HOME = tmp_path / "node-a"  # this machine's own folder: locks and scratch only
    # Setting STORAGES makes Django drop the storages it made (django.test.signals).
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": project_settings._shared_files("downloads"),
        "uploads": project_settings._shared_files("api-jobs"),
    }
    yield shared


def _local_files(folder: Path) -> list[Path]:
    """What a folder of this machine holds, locks apart."""
    return sorted(path for path in folder.rglob("*") if path.is_file() and not path.name.endswith(".lock"))


def test_a_download_is_kept_in_the_bucket_streamed_and_renewed_when_the_work_changes(
    client: Client, make_work: MakeWork, bucket: Bucket, settings: Any
) -> None:
    work = make_work("Harbour Lights")
    url = f"/downloads/{work.pk}/Harbour_Lights.txt"
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    first = b"".join(response.streaming_content)
    [kept] = bucket.keys(f"downloads/{work.pk}/")
    assert kept.endswith(".txt") and bucket.read(kept) == first
    assert _local_files(Path(settings.HOME) / "downloads") == []  # nothing of it left on this machine
    assert b"".join(client.get(url).streaming_content) == first
    assert bucket.keys(f"downloads/{work.pk}/") == [kept]
    Chapter.objects.filter(work=work, position=2).update(body="<p>The gulls had all gone south.</p>")
    second = b"".join(client.get(url).streaming_content)
    assert b"The gulls had all gone south." in second and b"The gulls had all gone south." not in first
    [fresh] = bucket.keys(f"downloads/{work.pk}/")
    assert fresh != kept and bucket.read(fresh) == second


def _slow_txt(made: list[list[str]], bucket: Bucket, work: Work, makers: int) -> ExportFormat:
    """TXT, made slowly enough for every reader to arrive while it is made; each making notes what
    the bucket held once its file was written whole but not yet published, and no maker publishes
    before `makers` of them have got that far (a BrokenBarrierError if fewer ever do)."""
    txt = EXPORT_FORMATS["txt"]
    all_made = threading.Barrier(makers, timeout=30)

    def slow_write(parsed: ParsedWork, context: Any, out: Any) -> None:
        txt.write(parsed, context, out)
        time.sleep(0.5)
        made.append(bucket.keys(f"downloads/{work.pk}/"))
        all_made.wait()

    return ExportFormat("txt", "txt", txt.media_type, txt.label, slow_write)


def _read_at_once(work: Work, readers: int) -> list[bytes]:
    bodies: list[bytes] = []

    def read() -> None:
        with downloads.open_download(work, "txt") as file:
            bodies.append(file.read())

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return bodies


@pytest.mark.parametrize("machines", [1, 2])
def test_readers_at_once_get_whole_files_and_one_machine_makes_each_once(
    make_work: MakeWork, bucket: Bucket, monkeypatch: pytest.MonkeyPatch, machines: int
) -> None:
    """On one machine the lock makes one maker; two machines (no shared lock: flock made a no-op)
    each make the file, and the bucket still holds one whole file that both readers got."""
    work = make_work("Slow to Print")
    made: list[list[str]] = []
    monkeypatch.setitem(EXPORT_FORMATS, "txt", _slow_txt(made, bucket, work, makers=machines))
    # Read in this thread: the readers share no database connection with the test's.
    parsed = parsed_from_work(work)
    monkeypatch.setattr(downloads, "parsed_from_work", lambda _work: parsed)
    if machines == 2:
        monkeypatch.setattr(downloads.fcntl, "flock", lambda _file, _operation: None)
    readers = 4 if machines == 1 else 2
    bodies = _read_at_once(work, readers)
    assert len(made) == machines and len(bodies) == readers
    assert len(set(bodies)) == 1 and b"Slow to Print" in bodies[0]
    assert made == [[]] * machines  # not in the bucket until its upload completed
    [kept] = bucket.keys(f"downloads/{work.pk}/")
    assert bucket.read(kept) == bodies[0]


def test_an_import_jobs_uploads_reach_a_worker_on_another_machine_through_the_bucket(
    bucket: Bucket, build_parsed: Callable[..., ParsedWork], settings: Any, tmp_path: Path
) -> None:
    staff = User.objects.create_user("keeper", password="x", is_staff=True)
    do_ensure_default_pseud(staff)
    lamp = works_to_json([build_parsed("Lamp Oil", authors=("wren",))]).encode()
    tide = works_to_json([build_parsed("Tide Table", authors=("wren",))]).encode()
    files = [SimpleUploadedFile("lamp.json", lamp), SimpleUploadedFile("../.tide.json", tide)]
    job = do_create_import_job(staff, files)
    prefix = f"api-jobs/{job.public_id}/uploads/"
    assert bucket.keys(prefix) == [f"{prefix}0000/lamp.json", f"{prefix}0001/tide.json"]
    assert bucket.read(f"{prefix}0000/lamp.json") == lamp
    assert _local_files(Path(settings.HOME) / "api-jobs") == []
    settings.HOME = worker_home = tmp_path / "node-b"  # the worker's machine, with its own folder
    finished = run_api_job(job.public_id)
    assert finished is not None and finished.status == DONE, finished and finished.outcome
    assert sorted(o["file"] for o in finished.outcome["outcomes"]) == ["lamp.json", "tide.json"]
    assert set(Work.objects.values_list("title", flat=True)) == {"Lamp Oil", "Tide Table"}
    assert bucket.keys("api-jobs/") == []  # the uploads are not kept once imported
    assert not (worker_home / "api-jobs" / job.public_id).exists()
