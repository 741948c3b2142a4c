"""Imported works and their owners: imports credited to an account, e-mail addresses kept for the
imported authors, and claims (by e-mailed link or by staff) moving the works to their author."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.claims import (
    do_approve_claim,
    do_confirm_claim,
    do_refuse_claim,
    do_request_claim,
    token_hash,
)
from fanarchive.archive.actions.imports import IMPORTED, UNCHANGED, UPDATED, do_import_work
from fanarchive.archive.models import Claim, Creatorship, SearchOutbox, User, Work
from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.formats.detect import parse_source
from fanarchive.domain.work import ParsedWork, SeriesRef

pytestmark = pytest.mark.django_db

DUMP = Path(__file__).resolve().parents[1] / "fixtures" / "efiction" / "archive" / "backup.sql"

Build = Callable[..., ParsedWork]


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://archive.example"


def _member(name: str = "marisol") -> User:
    return User.objects.create_user(name, email=f"{name}@member.example", password="x")


def _credited(work_id: int) -> list[tuple[str, str]]:
    return [
        (c.pseud.user.username, c.pseud.name)
        for c in Creatorship.objects.filter(work_id=work_id).select_related("pseud__user")
    ]


def _efiction_works() -> list[ParsedWork]:
    source = SourceFile(name="backup.sql", data=DUMP.read_bytes(), open_sibling=_sibling)
    return parse_source(source, None)


def _sibling(relative: str) -> bytes | None:
    path = DUMP.parent / relative
    return path.read_bytes() if path.is_file() else None


# --- imports with an owner ---------------------------------------------------------------------


def test_an_owner_import_credits_the_owner_and_keeps_the_byline(build_parsed: Build) -> None:
    owner = _member("ada")
    outcome = do_import_work(build_parsed("Harbour", authors=("Someone Else",)), owner=owner)
    work = Work.objects.get(pk=outcome.work_id)
    assert outcome.status == IMPORTED
    assert _credited(work.pk) == [("ada", "ada")]
    assert work.source_extra["byline"] == ["Someone Else"]
    assert not User.objects.filter(username="Someone_Else").exists()


def test_updating_an_owned_work_keeps_its_owner(build_parsed: Build) -> None:
    owner = _member("ada")
    parsed = build_parsed("Harbour", authors=("Someone Else",))
    work_id = do_import_work(parsed, owner=owner).work_id
    parsed.summary = "<p>A new summary.</p>"
    # An archivist's import of a newer copy: the work stays in the account it was put in.
    updated = do_import_work(parsed)
    assert (updated.work_id, updated.status) == (work_id, UPDATED)
    assert Work.objects.get(pk=work_id).summary == "<p>A new summary.</p>"
    assert _credited(work_id) == [("ada", "ada")]
    assert not User.objects.filter(username="Someone_Else").exists()
    assert do_import_work(parsed, owner=owner).status == UNCHANGED


def test_an_archivist_update_changes_the_byline_of_an_unclaimed_work(build_parsed: Build) -> None:
    parsed = build_parsed("Harbour", authors=("First Name",))
    work_id = do_import_work(parsed).work_id
    parsed.authors = ["Second Name"]
    assert do_import_work(parsed).status == UPDATED
    assert _credited(work_id) == [("Second_Name", "Second Name")]


def test_an_upload_draft_is_new_unposted_and_never_matches_the_archive_copy(build_parsed: Build) -> None:
    parsed = build_parsed("Harbour", authors=("Real Author",))
    archived = do_import_work(parsed).work_id
    uploader = _member("copycat")
    draft = do_import_work(parsed, owner=uploader, draft=True)
    assert draft.status == IMPORTED and draft.work_id != archived
    work = Work.objects.get(pk=draft.work_id)
    assert not work.posted and work.source_id == "" and work.content_hash == ""
    assert work.source_extra["uploaded_from"]["id"] == parsed.source.id
    assert _credited(archived) == [("Real_Author", "Real Author")]
    # The archivist's next import still finds its own copy, not the draft.
    parsed.summary = "<p>Changed at the source.</p>"
    assert do_import_work(parsed).work_id == archived
    with pytest.raises(ValueError, match="owner"):
        do_import_work(parsed, draft=True)


def test_efiction_addresses_go_to_the_imported_accounts_never_to_the_work() -> None:
    for parsed in _efiction_works():
        do_import_work(parsed)
    assert User.objects.get(username="Marisol_Vane").source_email == "marisol@example.org"
    assert User.objects.get(username="Juniper_Hale").source_email == "juniper@example.org"
    assert User.objects.get(username="Marisol_Vane").imported
    # Nobody logs in as an imported author, a password reset to the old address included.
    assert not User.objects.get(username="Marisol_Vane").is_active
    assert not User.objects.get(username="Marisol_Vane").has_usable_password()
    for work in Work.objects.all():
        assert "author_emails" not in work.source_extra["metadata"]
        assert "@example.org" not in str(work.source_extra)
    # Importing the same backup again changes nothing (the addresses are not part of the hash).
    assert {do_import_work(parsed).status for parsed in _efiction_works()} == {UNCHANGED}


# --- claims ------------------------------------------------------------------------------------


def _imported_author(build_parsed: Build, email: str = "ghost@old.example") -> tuple[User, list[int]]:
    ids = [
        do_import_work(build_parsed("One", authors=("Ghost Writer",))).work_id,
        do_import_work(build_parsed("Two", authors=("Ghost Writer", "Other Hand"))).work_id,
    ]
    imported = User.objects.get(username="Ghost_Writer")
    User.objects.filter(pk=imported.pk).update(source_email=email)
    imported.refresh_from_db()
    return imported, ids


def _token_from_mail() -> str:
    (message,) = mail.outbox
    found = re.search(r"https://archive\.example/claims/(\S+)", message.body)
    assert found, message.body
    return found.group(1)


def test_a_claim_link_goes_to_the_source_address_and_moves_the_works(build_parsed: Build) -> None:
    imported, ids = _imported_author(build_parsed)
    claimant = _member()
    request = do_request_claim(imported, claimant, "It's me.")
    assert request.emailed and request.claim.state == "sent"
    assert mail.outbox[0].to == ["ghost@old.example"]
    token = _token_from_mail()
    # Only a keyed hash is stored.
    assert request.claim.token_hash == token_hash(token) and token not in request.claim.token_hash
    SearchOutbox.objects.all().delete()

    claim = do_confirm_claim(token, claimant)

    assert claim.state == "claimed" and claim.decided_at is not None
    assert _credited(ids[0]) == [("marisol", "Ghost Writer")]
    assert _credited(ids[1]) == [("marisol", "Ghost Writer"), ("Other_Hand", "Other Hand")]
    assert claimant.default_pseud() is not None
    # The old address is kept on the claim and freed from the account, for its author to use.
    imported.refresh_from_db()
    assert (imported.source_email, claim.email) == ("", "ghost@old.example")
    assert set(SearchOutbox.objects.values_list("work_id", flat=True)) >= set(ids)
    # Single use.
    with pytest.raises(ActionError, match="already been used"):
        do_confirm_claim(token, claimant)


def test_a_claimed_author_s_next_imported_work_goes_to_the_claimant(build_parsed: Build) -> None:
    imported, _ids = _imported_author(build_parsed)
    claimant = _member()
    do_request_claim(imported, claimant)
    do_confirm_claim(_token_from_mail(), claimant)
    later = do_import_work(build_parsed("Three", authors=("Ghost Writer",))).work_id
    assert _credited(later) == [("marisol", "Ghost Writer")]


def test_a_link_is_for_the_account_that_asked(build_parsed: Build) -> None:
    imported, ids = _imported_author(build_parsed)
    do_request_claim(imported, _member())
    with pytest.raises(ActionError, match="another account"):
        do_confirm_claim(_token_from_mail(), _member("intruder"))
    assert _credited(ids[0]) == [("Ghost_Writer", "Ghost Writer")]


def test_a_link_expires_after_14_days(build_parsed: Build) -> None:
    imported, ids = _imported_author(build_parsed)
    claimant = _member()
    claim = do_request_claim(imported, claimant).claim
    Claim.objects.filter(pk=claim.pk).update(created_at=claim.created_at - dt.timedelta(days=14, minutes=1))
    with pytest.raises(ActionError, match="expired"):
        do_confirm_claim(_token_from_mail(), claimant)
    assert _credited(ids[0]) == [("Ghost_Writer", "Ghost Writer")]


def test_an_unknown_token_is_refused() -> None:
    member = _member()
    with pytest.raises(ActionError, match="not valid"):
        do_confirm_claim("made-up", member)
    with pytest.raises(ActionError, match="not valid"):
        do_confirm_claim("", member)


def test_an_account_claimed_once_cannot_be_claimed_again(build_parsed: Build) -> None:
    imported, _ids = _imported_author(build_parsed)
    first, second = _member(), _member("latecomer")
    do_request_claim(imported, first)
    do_request_claim(imported, second)
    first_token = re.search(r"/claims/(\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    second_token = re.search(r"/claims/(\S+)", mail.outbox[1].body).group(1)  # type: ignore[union-attr]
    do_confirm_claim(first_token, first)
    with pytest.raises(ActionError):
        do_confirm_claim(second_token, second)
    with pytest.raises(ActionError, match="already been claimed"):
        do_request_claim(imported, _member("third"))
    assert Claim.objects.get(claimant=second).state == "refused"


def test_requests_are_limited(build_parsed: Build) -> None:
    imported, _ids = _imported_author(build_parsed)
    claimant = _member()
    do_request_claim(imported, claimant)
    with pytest.raises(ActionError, match="already asked"):
        do_request_claim(imported, claimant)
    do_request_claim(imported, _member("b"))
    do_request_claim(imported, _member("c"))
    with pytest.raises(ActionError, match="Too many"):
        do_request_claim(imported, _member("d"))
    assert len(mail.outbox) == 3


def test_members_and_imported_accounts_cannot_be_claimed_or_claim(build_parsed: Build) -> None:
    imported, _ids = _imported_author(build_parsed)
    with pytest.raises(ActionError, match="not an imported one"):
        do_request_claim(_member("real"), _member())
    with pytest.raises(ActionError, match="member's own account"):
        do_request_claim(imported, User.objects.get(username="Other_Hand"))


def test_without_an_address_staff_approve(build_parsed: Build) -> None:
    imported, ids = _imported_author(build_parsed, email="")
    claimant = _member()
    request = do_request_claim(imported, claimant, "My old LiveJournal shows the same story.")
    assert not request.emailed and request.claim.state == "pending" and request.claim.token_hash == ""
    assert mail.outbox == []
    do_approve_claim(request.claim)
    assert Claim.objects.get(pk=request.claim.pk).state == "claimed"
    assert _credited(ids[0]) == [("marisol", "Ghost Writer")]
    with pytest.raises(ActionError, match="waiting"):
        do_approve_claim(request.claim)


def test_staff_refuse(build_parsed: Build) -> None:
    imported, ids = _imported_author(build_parsed, email="")
    claim = do_request_claim(imported, _member()).claim
    do_refuse_claim(claim)
    assert Claim.objects.get(pk=claim.pk).state == "refused"
    assert _credited(ids[0]) == [("Ghost_Writer", "Ghost Writer")]
    with pytest.raises(ActionError, match="waiting"):
        do_approve_claim(claim)


def test_a_claimant_already_credited_under_that_name_is_credited_once(build_parsed: Build) -> None:
    imported, ids = _imported_author(build_parsed, email="")
    claimant = _member()
    pseud = claimant.pseuds.create(name="Ghost Writer")
    Creatorship.objects.create(work_id=ids[0], pseud=pseud, position=5)
    do_approve_claim(do_request_claim(imported, claimant).claim)
    assert _credited(ids[0]) == [("marisol", "Ghost Writer")]


@pytest.mark.parametrize("member_name", ["Ghost_Writer", "ghost_writer"])
def test_an_import_never_credits_a_member_who_took_the_byline_s_name(
    member_name: str, build_parsed: Build
) -> None:
    squatter = _member(member_name)
    first = do_import_work(build_parsed("One", authors=("Ghost Writer",))).work_id
    second = do_import_work(build_parsed("Two", authors=("Ghost Writer",))).work_id
    assert _credited(first) == _credited(second) == [("Ghost_Writer-imported", "Ghost Writer")]
    imported = User.objects.get(username="Ghost_Writer-imported")
    assert imported.imported and not imported.has_usable_password()
    assert not squatter.pseuds.exists()


def test_an_upload_joins_only_its_author_s_own_series(build_parsed: Build) -> None:
    ref = SeriesRef(title="Harbour Lights", position=1, url="https://archiveofourown.org/series/77")
    archived = build_parsed("Part One", authors=("Real Author",), series=[ref])
    archive_series = Work.objects.get(pk=do_import_work(archived).work_id).serial_works.get().series
    uploader = _member("copycat")
    first = build_parsed("Part One", authors=("Real Author",), series=[ref])
    second = build_parsed(
        "Part Two", authors=("Real Author",), series=[SeriesRef("Harbour Lights", 2, ref.url)]
    )

    drafts = [
        Work.objects.get(pk=do_import_work(p, owner=uploader, draft=True).work_id) for p in (first, second)
    ]

    own = {draft.serial_works.get().series for draft in drafts}
    assert len(own) == 1 and archive_series not in own
    assert own.pop().source_url == ""
    assert list(archive_series.serial_works.values_list("work__title", flat=True)) == ["Part One"]
