"""Claiming imported works through the site: the author page's link, the request, the e-mailed
link read from a real SMTP server, and staff's decision in the admin."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from fanarchive.archive.actions.imports import do_import_work
from fanarchive.archive.models import Claim, Creatorship, User, Work
from support.smtp_server import Inbox, smtp_server  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

Build = Callable[..., Any]


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = "http://testserver"


def _imported(build_parsed: Build, email: str) -> tuple[User, list[int]]:
    ids = [do_import_work(build_parsed(title, authors=("Ghost Writer",))).work_id for title in ("One", "Two")]
    User.objects.filter(username="Ghost_Writer").update(source_email=email)
    return User.objects.get(username="Ghost_Writer"), ids


def _login(client: Client, name: str, **fields: Any) -> User:
    user = User.objects.create_user(name, password="x", **fields)
    client.force_login(user)
    return user


def _credited(work_id: int) -> list[str]:
    return [
        c.pseud.user.username
        for c in Creatorship.objects.filter(work_id=work_id).select_related("pseud__user")
    ]


def test_claim_by_the_link_e_mailed_to_the_source_address(
    client: Client,
    build_parsed: Build,
    smtp_server: Inbox,  # noqa: F811
) -> None:
    imported, ids = _imported(build_parsed, "ghost@old.example")
    page = client.get("/users/Ghost_Writer").content.decode()
    assert "Is this you?" in page and "/users/Ghost_Writer/claim" in page
    # A guest is sent to log in first.
    assert client.get("/users/Ghost_Writer/claim").status_code == 302

    claimant = _login(client, "marisol")
    form = client.get("/users/Ghost_Writer/claim").content.decode()
    assert "csrfmiddlewaretoken" in form and "e-mail address the old archive held" in form
    sent = client.post("/users/Ghost_Writer/claim", {"message": ""}).content.decode()
    assert "g…@old.example" in sent and "ghost@old.example" not in sent

    message = smtp_server.last_to("ghost@old.example")
    link = smtp_server.link_in(message, r"http://testserver/claims/\S+")
    path = link.removeprefix("http://testserver")

    # Someone else logged in cannot use it.
    other = Client()
    _login(other, "intruder")
    refused = other.post(path)
    assert refused.status_code == 400 and "another account" in refused.content.decode()

    # GET only asks (mail scanners open links); the POST moves the works.
    asked = client.get(path).content.decode()
    assert "Move every work credited to Ghost_Writer" in asked
    assert _credited(ids[0]) == ["Ghost_Writer"]
    done = client.post(path)
    assert done.status_code == 200 and "are yours now" in done.content.decode()
    assert _credited(ids[0]) == _credited(ids[1]) == ["marisol"]
    assert Claim.objects.get(imported=imported).claimant == claimant
    assert "Ghost Writer" in client.get("/users/marisol").content.decode()
    again = client.post(path)
    assert again.status_code == 400 and "already been used" in again.content.decode()


def test_without_an_address_the_claim_waits_for_staff(
    client: Client,
    build_parsed: Build,
    smtp_server: Inbox,  # noqa: F811
) -> None:
    imported, ids = _imported(build_parsed, "")
    _login(client, "marisol")
    page = client.post("/users/Ghost_Writer/claim", {"message": "Same story on my LiveJournal."})
    assert "staff will look at your claim" in page.content.decode()
    assert smtp_server.messages == []
    claim = Claim.objects.get(imported=imported)
    assert (claim.state, claim.message) == ("pending", "Same story on my LiveJournal.")
    # Asking twice is refused on the form.
    assert "already asked" in client.post("/users/Ghost_Writer/claim").content.decode()

    staff = Client()
    _login(staff, "boss", is_staff=True, is_superuser=True)
    listing = staff.get("/admin/archive/claim/").content.decode()
    assert "Ghost_Writer" in listing
    staff.post("/admin/archive/claim/", {"action": "approve", "_selected_action": [claim.pk]})
    assert Claim.objects.get(pk=claim.pk).state == "claimed"
    assert _credited(ids[0]) == ["marisol"]


def test_staff_refuse_in_the_admin(client: Client, build_parsed: Build) -> None:
    imported, ids = _imported(build_parsed, "")
    _login(client, "marisol")
    client.post("/users/Ghost_Writer/claim", {"message": "mine"})
    staff = Client()
    _login(staff, "boss", is_staff=True, is_superuser=True)
    claim = Claim.objects.get(imported=imported)
    staff.post("/admin/archive/claim/", {"action": "refuse", "_selected_action": [claim.pk]})
    assert Claim.objects.get(pk=claim.pk).state == "refused"
    assert _credited(ids[0]) == ["Ghost_Writer"]


def test_only_imported_accounts_with_visible_works_can_be_claimed(
    client: Client, build_parsed: Build
) -> None:
    member = User.objects.create_user("realauthor", password="x")
    work_id = do_import_work(build_parsed("Mine", authors=("x",)), owner=member).work_id
    assert Work.objects.get(pk=work_id).posted
    _login(client, "marisol")
    assert "Is this you?" not in client.get("/users/realauthor").content.decode()
    assert client.get("/users/realauthor/claim").status_code == 404
    assert client.get("/users/nobody/claim").status_code == 404
    # An imported author whose only work is a draft answers like a missing one.
    hidden = do_import_work(build_parsed("Hidden", authors=("Hidden Hand",))).work_id
    Work.objects.filter(pk=hidden).update(posted=False)
    assert client.get("/users/Hidden_Hand/claim").status_code == 404
    assert client.post("/users/Hidden_Hand/claim").status_code == 404
    assert not Claim.objects.exists()


def test_a_made_up_link_is_refused(client: Client) -> None:
    _login(client, "marisol")
    response = client.get("/claims/" + re.sub(r"\W", "", "made-up-token"))
    assert response.status_code == 400 and "not valid" in response.content.decode()


def test_a_password_reset_to_the_old_address_opens_no_imported_account(
    client: Client,
    build_parsed: Build,
    smtp_server: Inbox,  # noqa: F811
) -> None:
    """The claim is the way in: a reset would hand the account to whoever holds the old address,
    without a claim on record."""
    _imported(build_parsed, "ghost@old.example")
    client.post("/accounts/password/reset/", {"email": "ghost@old.example"})
    for message in smtp_server.to("ghost@old.example"):
        assert "/password/reset/key/" not in smtp_server.text(message)
    assert not User.objects.get(username="Ghost_Writer").has_usable_password()


def test_the_author_signs_up_with_the_address_the_old_archive_held_and_claims(
    client: Client,
    build_parsed: Build,
    smtp_server: Inbox,  # noqa: F811
) -> None:
    _imported(build_parsed, "ghost@old.example")
    # Sign-up and password resets look at accounts' own addresses; the imported one is not one.
    reset = Client().post("/accounts/password/reset/", {"email": "ghost@old.example"})
    assert reset.status_code == 302
    assert not any("/password/reset/key/" in smtp_server.text(m) for m in smtp_server.messages)
    password = "tidepool-lantern-42"
    signed = client.post(
        "/accounts/signup/",
        {"username": "ghost", "email": "ghost@old.example", "password1": password, "password2": password},
    )
    assert signed.status_code == 302 and signed["Location"] == "/accounts/confirm-email/"
    confirm = smtp_server.link_in(
        smtp_server.last_to("ghost@old.example"), r"https?://\S+/accounts/confirm-email/\S+/"
    )
    assert client.post(re.sub(r"^https?://[^/]+", "", confirm)).status_code == 302
    assert client.post("/accounts/login/", {"login": "ghost", "password": password}).status_code == 302

    client.post("/users/Ghost_Writer/claim", {"message": ""})
    link = smtp_server.link_in(smtp_server.last_to("ghost@old.example"), r"http://testserver/claims/\S+")
    assert client.post(link.removeprefix("http://testserver")).status_code == 200
    assert _credited(Work.objects.get(title="One").pk) == ["ghost"]
