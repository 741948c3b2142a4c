"""FANARCHIVE_SIGNUP: open (tested with the whole flow elsewhere), closed, and invite with AO3's
queue: join it, staff send the invitation, its e-mailed link opens sign-up once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from fanarchive.archive.accounts.invitations import queued, send_invitation
from fanarchive.archive.models import Invitation, User
from support.smtp_server import Inbox

pytestmark = pytest.mark.django_db

PASSWORD = "tidepool-lantern-42"


def _sign_up(client: Client, username: str, email: str) -> Any:
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", data)


def test_closed_sign_up_says_so_and_makes_nobody(client: Client, settings: Any) -> None:
    settings.SIGNUP_MODE = "closed"
    page = client.get("/accounts/signup/")
    assert page.status_code == 200 and "Sign-up is closed" in page.content.decode()
    assert "invitation queue" not in page.content.decode()
    _sign_up(client, "ada", "ada@example.org")
    assert not User.objects.filter(username="ada").exists()
    assert client.get("/invitations/request").status_code == 404
    assert "Sign up" not in client.get("/accounts/login/").content.decode().split("</header>")[1]


def test_the_invitation_queue(client: Client, settings: Any, smtp_server: Inbox) -> None:
    settings.SIGNUP_MODE = "invite"
    closed = client.get("/accounts/signup/").content.decode()
    assert "Sign-up is closed" in closed and "/invitations/request" in closed
    _sign_up(client, "ada", "ada@example.org")
    assert not User.objects.filter(username="ada").exists()

    assert client.post("/invitations/request", {"email": "ada@example.org"}).status_code == 200
    client.post("/invitations/request", {"email": "ADA@example.org"})  # asking twice keeps one place
    client.post("/invitations/request", {"email": "ben@example.org"})
    assert [i.email for i in queued()] == ["ada@example.org", "ben@example.org"]
    # A link to an invitation not sent yet opens nothing.
    unsent = Invitation.objects.get(email="ada@example.org")
    assert client.get(f"/invitations/{unsent.token}").status_code == 404

    send_invitation(queued(1)[0])
    assert [i.email for i in queued()] == ["ben@example.org"]
    link = smtp_server.link_in(smtp_server.last_to("ada@example.org"), r"https?://\S+/invitations/\S+")
    path = re.sub(r"^https?://[^/]+", "", link)

    visitor = Client()
    assert visitor.get(path)["Location"] == "/accounts/signup/"
    assert "Sign-up is closed" not in visitor.get("/accounts/signup/").content.decode()
    assert _sign_up(visitor, "ada", "ada@example.org").status_code == 302
    ada = User.objects.get(username="ada")
    invitation = Invitation.objects.get(pk=unsent.pk)
    assert invitation.used_by == ada and invitation.used_at is not None
    assert [p.name for p in ada.pseuds.all()] == ["ada"]

    # Used once: the link opens nothing more, for anyone.
    other = Client()
    assert other.get(path).status_code == 404
    _sign_up(other, "mallory", "mallory@example.org")
    assert not User.objects.filter(username="mallory").exists()
    assert smtp_server.to("mallory@example.org") == []


def test_the_queue_page_is_only_there_in_invite_mode(client: Client, settings: Any) -> None:
    settings.SIGNUP_MODE = "open"
    assert client.get("/invitations/request").status_code == 404
    assert client.get("/invitations/whatever").status_code == 404
