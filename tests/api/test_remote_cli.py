"""`fanarchive import/search/export --remote URL --token T` against a live server: a folder goes up
as an import job, the works are found by search and come back as EPUB (at once) and PDF (by a job);
a bad token or a missing --token is one line and exit status 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fanarchive.archive.actions.api_tokens import do_create_api_token
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.models import User, Work
from fanarchive.cli.main import main
from fanarchive.domain.work import ParsedWork, works_to_json

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("jobs_inline")]


@pytest.fixture
def staff_token() -> str:
    staff = User.objects.create_user("keeper", password="x", is_staff=True)
    do_ensure_default_pseud(staff)
    return do_create_api_token(staff, "cli", ["read", "import"])[1]


def test_import_search_and_export_through_a_live_server(
    live_server: Any,
    staff_token: str,
    tmp_path: Path,
    build_parsed: Callable[..., ParsedWork],
    capsys: pytest.CaptureFixture[str],
) -> None:
    remote = ["--remote", live_server.url, "--token", staff_token]
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "gulls.json").write_text(works_to_json([build_parsed("Gull Weather", authors=("wren",))]))
    (folder / "sub" / "lamp.json").write_text(works_to_json([build_parsed("Lamp Oil", authors=("wren",))]))
    (folder / "broken.json").write_text('{"works": [')
    report = tmp_path / "report.json"

    assert main(["import", str(folder), *remote, "--report", str(report)]) == 1  # one file failed
    out, err = capsys.readouterr()
    assert "imported 2, updated 0, unchanged 0, failed 1" in out
    assert "failed: broken.json:" in err
    assert json.loads(report.read_text())["counts"]["imported"] == 2
    assert set(Work.objects.values_list("title", flat=True)) == {"Gull Weather", "Lamp Oil"}

    assert main(["search", "gull", "--json", *remote]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["total"] == 1 and found["works"][0]["title"] == "Gull Weather"
    assert found["works"][0]["authors"] == ["wren"]

    work_id = str(found["works"][0]["id"])
    epub, pdf = tmp_path / "gulls.epub", tmp_path / "gulls.pdf"
    assert main(["export", work_id, "--format", "epub", "-o", str(epub), *remote]) == 0
    assert epub.read_bytes()[:2] == b"PK"
    assert main(["export", work_id, "--format", "pdf", "-o", str(pdf), *remote]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_bad_token_or_a_missing_one_is_one_line(
    live_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "gull", "--remote", live_server.url, "--token", "fa_nonsense"]) == 2
    assert "the archive answered 401" in capsys.readouterr().err
    assert main(["export", "1", "-o", str(tmp_path / "x.epub"), "--remote", live_server.url]) == 2
    assert "--remote needs --token" in capsys.readouterr().err
    assert not (tmp_path / "x.epub").exists() and not (tmp_path / "x.epub.part").exists()


def test_a_read_token_cannot_import(
    live_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reader = User.objects.create_user("reader", password="x")
    token = do_create_api_token(reader, "cli", ["read"])[1]
    (tmp_path / "a.json").write_text('{"works": []}')
    assert main(["import", str(tmp_path / "a.json"), "--remote", live_server.url, "--token", token]) == 2
    assert "the archive answered 403" in capsys.readouterr().err
