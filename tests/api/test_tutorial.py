"""docs/api-tutorial.md's Python, run against a live server: the fandom's complete works of 50,000
words or more are listed (and nothing else), saved as EPUB, and a folder is imported. The doc must
show tutorial_client.py whole, so what readers copy is what runs here."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fanarchive.archive.actions.api_tokens import do_create_api_token
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.models import User, Work
from fanarchive.domain.work import ParsedWork, works_to_json

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("jobs_inline")]
ROOT = Path(__file__).resolve().parents[2]
CLIENT = Path(__file__).with_name("tutorial_client.py")


def _tutorial() -> Any:
    # Loaded from its file: tests/api is not a package, and the doc shows the file as it is.
    spec = importlib.util.spec_from_file_location("tutorial_client", CLIENT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _long(parsed: ParsedWork, words: int) -> ParsedWork:
    # Invented filler: the same short sentence until the chapter holds `words` words.
    sentence = "Ada counted the gulls again. "
    parsed.chapters[0].html = "<p>" + sentence * (words // 5) + "</p>"
    return parsed


def test_the_tutorial_runs_as_written(
    live_server: Any,
    make_work: Callable[..., Work],
    build_parsed: Callable[..., ParsedWork],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from fanarchive.archive.actions.imports import do_import_work

    def salt(
        title: str, *, words: int, status: str = "complete", fandom: str = "Saltmarsh Chronicles"
    ) -> int:
        tags = {"rating": ["General Audiences"], "fandom": [fandom]}
        parsed = _long(build_parsed(title, chapters=1, tags=tags), words)
        parsed.status = status
        if status != "complete":
            parsed.chapters_expected = None  # 1/? : a work still being written
        return do_import_work(parsed).work_id

    wanted = salt("Long Tide", words=52_000)
    salt("Short Tide", words=800)
    salt("Unfinished Tide", words=60_000, status="in-progress")
    salt("Inland Tide", words=55_000, fandom="Inland Tales")

    staff = User.objects.create_user("keeper", password="x", is_staff=True)
    do_ensure_default_pseud(staff)
    token = do_create_api_token(staff, "tutorial", ["read", "import"])[1]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "new.json").write_text(works_to_json([build_parsed("Harbour Lights", authors=("wren",))]))
    epubs = tmp_path / "epubs"

    _tutorial().main(live_server.url, token, "Saltmarsh Chronicles", inbox, epubs)

    out = capsys.readouterr().out
    assert "1 complete works of 50,000 words or more in Saltmarsh Chronicles" in out
    assert [p.name for p in epubs.iterdir()] == [f"{wanted}.epub"]
    assert (epubs / f"{wanted}.epub").read_bytes()[:2] == b"PK"
    assert "imported 1, updated 0, unchanged 0, failed 0" in out
    assert Work.objects.filter(title="Harbour Lights").exists()


def test_the_tutorial_shows_the_client_whole() -> None:
    doc = (ROOT / "docs" / "api-tutorial.md").read_text()
    client = CLIENT.read_text()
    assert client.strip() in doc
