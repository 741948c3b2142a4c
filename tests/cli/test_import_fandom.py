"""`fanarchive import --fandom NAME` and the Fandom field of the staff import form: works whose
source names no fandom (an eFiction printable page here) get NAME, with a doubt; works whose source
names theirs (an AO3 download) keep exactly those; importing again with the same NAME changes nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fanarchive.archive.models import Work
from fanarchive.domain.default_fandom import apply_default_fandom, check_fandom_name
from fanarchive.domain.tags import TagKind
from fanarchive.domain.work import ParsedWork
from support.cli import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NO_FANDOM = FIXTURES / "efiction" / "printable.txt"  # an eFiction page: never names its fandom
NAMED = FIXTURES / "ao3-html" / "one-shot.html"
DOUBT = "The source names no fandom; 'Lighthouse Keepers' was given at import (--fandom)."

FANDOMS = (
    "SELECT w.title, t.name FROM archive_work w JOIN archive_tagging g ON g.work_id = w.id "
    "JOIN archive_tag t ON t.id = g.tag_id WHERE t.kind = 'fandom' ORDER BY w.title, g.position"
)


def _query(home: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(home / "fanarchive.sqlite3") as connection:
        return connection.execute(sql).fetchall()


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(NO_FANDOM, inbox)
    shutil.copy(NAMED, inbox)
    return inbox


def _doubts(home: Path) -> dict[str, list[str]]:
    rows = _query(home, "SELECT title, source_extra FROM archive_work")
    return {str(title): json.loads(str(extra))["doubts"] for title, extra in rows}


def test_fandom_goes_to_works_whose_source_names_none(tmp_path: Path) -> None:
    home, inbox = tmp_path / "home", _inbox(tmp_path)
    result = run_cli("import", "--fandom", "  Lighthouse   Keepers ", str(inbox), home=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "imported 2, updated 0, unchanged 0, failed 0"
    fandoms = _query(home, FANDOMS)
    assert ("The Ferryman's Daughter", "Lighthouse Keepers") in fandoms
    named = [name for title, name in fandoms if title != "The Ferryman's Daughter"]
    assert named and "Lighthouse Keepers" not in named
    doubts = _doubts(home)
    assert DOUBT in doubts["The Ferryman's Daughter"]
    assert not any(DOUBT in found for title, found in doubts.items() if title != "The Ferryman's Daughter")

    again = run_cli("import", "--fandom", "Lighthouse Keepers", str(inbox), home=home)
    assert again.stdout.splitlines()[-1] == "imported 0, updated 0, unchanged 2, failed 0"
    assert _query(home, FANDOMS) == fandoms


def test_without_the_flag_no_fandom_is_made_up(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli("import", str(_inbox(tmp_path)), home=home).returncode == 0
    assert "The Ferryman's Daughter" not in {title for title, _name in _query(home, FANDOMS)}


@pytest.mark.parametrize(("name", "reason"), [("   ", "is empty"), ("x" * 151, "is longer than 150")])
def test_a_bad_fandom_name_imports_nothing(tmp_path: Path, name: str, reason: str) -> None:
    home = tmp_path / "home"
    result = run_cli("import", "--fandom", name, str(_inbox(tmp_path)), home=home)
    assert result.returncode == 2
    assert f"--fandom: the fandom name {reason}" in result.stderr
    assert _query(home, "SELECT COUNT(*) FROM archive_work") == [(0,)]


def test_a_work_naming_its_fandoms_keeps_them() -> None:
    work = ParsedWork(title="t")
    work.add_tag(TagKind.FANDOM, "Tides")
    apply_default_fandom(work, "Lighthouse Keepers")
    assert (work.tags["fandom"], work.doubts) == (["Tides"], [])
    with pytest.raises(ValueError, match="empty"):
        check_fandom_name("\t")


@pytest.mark.django_db(transaction=True)
def test_the_staff_import_form_has_the_same_field(admin_client: Client) -> None:
    upload = SimpleUploadedFile("printable.txt", NO_FANDOM.read_bytes())
    response = admin_client.post(
        "/admin/archive/work/import/", {"uploads": [upload], "fandom": "Lighthouse Keepers"}
    )
    assert response.status_code == 200 and "imported 1," in response.content.decode()
    work = Work.objects.get()
    assert list(work.taggings.filter(tag__kind="fandom").values_list("tag__name", flat=True)) == [
        "Lighthouse Keepers"
    ]
    assert DOUBT in work.source_extra["doubts"]
    assert 'name="fandom"' in admin_client.get("/admin/archive/work/import/").content.decode()
