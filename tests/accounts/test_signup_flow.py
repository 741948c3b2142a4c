"""Sign up, confirm by the e-mail read from a real SMTP server, log in (by name and by address),
log out, reset the password, change the address and the password."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from fanarchive.archive.models import User
from support.smtp_server import Inbox

pytestmark = pytest.mark.django_db

PASSWORD = "tidepool-lantern-42"


def _sign_up(client: Client, username: str = "ada", email: str = "ada@example.org") -> Any:
    return client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def _confirm(client: Client, inbox: Inbox, email: str) -> None:
    link = inbox.link_in(inbox.last_to(email), r"https?://\S+/accounts/confirm-email/\S+/")
    path = re.sub(r"^https?://[^/]+", "", link)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302


def test_sign_up_confirm_by_mail_and_log_in(client: Client, smtp_server: Inbox) -> None:
    response = _sign_up(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(username="ada")
    # Every new account gets its default pseud, named after the user name.
    assert [(p.name, p.is_default) for p in user.pseuds.all()] == [("ada", True)]
    assert user.password.startswith("argon2")

    # Confirmation is mandatory: no log-in before it.
    refused = Client().post("/accounts/login/", {"login": "ada", "password": PASSWORD})
    assert refused.status_code == 302 and refused["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in refused.client.session

    _confirm(Client(), smtp_server, "ada@example.org")

    by_name = Client()
    assert by_name.post("/accounts/login/", {"login": "ada", "password": PASSWORD}).status_code == 302
    assert by_name.session["_auth_user_id"] == str(user.pk)
    page = by_name.get("/").content.decode()
    assert "Log out" in page and ">ada<" in page

    by_address = Client()
    by_address.post("/accounts/login/", {"login": "ADA@example.org", "password": PASSWORD})
    assert by_address.session["_auth_user_id"] == str(user.pk)

    assert by_address.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in by_address.session


def test_the_message_came_through_smtp_from_the_site(
    client: Client, smtp_server: Inbox, settings: Any
) -> None:
    settings.DEFAULT_FROM_EMAIL = "Harbour Archive <archive@example.net>"
    _sign_up(client, "ben", "ben@example.org")
    message = smtp_server.last_to("ben@example.org")
    assert message["From"] == "Harbour Archive <archive@example.net>"
    assert smtp_server.envelopes[-1] == ("archive@example.net", ["ben@example.org"])


def _confirmed_user(username: str = "ada", email: str = "ada@example.org") -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(username, email, PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_password_reset_by_mail(client: Client, smtp_server: Inbox) -> None:
    user = _confirmed_user()
    response = client.post("/accounts/password/reset/", {"email": "ada@example.org"})
    assert response.status_code == 302
    link = smtp_server.link_in(
        smtp_server.last_to("ada@example.org"), r"https?://\S+/password/reset/key/\S+/"
    )
    path = re.sub(r"^https?://[^/]+", "", link)
    form = client.get(path, follow=True)
    assert form.status_code == 200
    new = "harbour-bell-rings-7"
    done = client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new) and user.password.startswith("argon2")


def test_change_password_and_address(client: Client, smtp_server: Inbox) -> None:
    user = _confirmed_user()
    client.post("/accounts/login/", {"login": "ada", "password": PASSWORD})
    new = "salt-wind-lantern-9"
    response = client.post(
        "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)

    response = client.post("/accounts/email/", {"action_add": "", "email": "ada@new.example"})
    assert response.status_code == 302
    _confirm(client, smtp_server, "ada@new.example")
    assert list(user.emailaddress_set.values_list("email", "verified", "primary")) == [
        ("ada@new.example", True, True)
    ]


def test_account_pages_wear_the_site_frame(client: Client) -> None:
    page = client.get("/accounts/login/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'class="site-header"' in body and "Log in · " in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert client.get("/login?next=/works").headers["Location"] == "/accounts/login/?next=/works"
    assert client.get("/signup").headers["Location"] == "/accounts/signup/"
