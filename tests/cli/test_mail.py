"""Embedded mode's e-mail: messages written as private files under FANARCHIVE_HOME/mail, read back
with `fanarchive mail`; and the account commands that send or need it (createsuperuser, invite, role)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.mail import EmailMessage

from fanarchive.archive.accounts.mailfiles import MailDirBackend, message_text, stored_messages
from support.cli import run_cli


def test_each_message_is_a_private_file_listed_newest_first(settings: Any, tmp_path: Path) -> None:
    settings.MAIL_DIR = tmp_path / "mail"
    backend = MailDirBackend()
    sent = backend.send_messages(
        [
            EmailMessage("First", "one", "site@example.org", ["ada@example.org"]),
            EmailMessage("Nobody to send to", "none", "site@example.org", []),
            EmailMessage("Sécond", "two ☃", "site@example.org", ["ben@example.org"]),
        ]
    )
    assert sent == 2
    assert stat.S_IMODE(settings.MAIL_DIR.stat().st_mode) == 0o700
    files = sorted(settings.MAIL_DIR.iterdir())
    # Whole files only: no temporary file is left behind.
    assert [f.suffix for f in files] == [".eml", ".eml"]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    listed = stored_messages(settings.MAIL_DIR)
    assert [(m.to, m.subject) for m in listed] == [
        ("ben@example.org", "Sécond"),
        ("ada@example.org", "First"),
    ]
    shown = message_text(listed[0].path)
    assert "Subject: Sécond" in shown and shown.rstrip().endswith("two ☃")


def test_a_missing_mail_folder_is_an_empty_list(tmp_path: Path) -> None:
    assert stored_messages(tmp_path / "nothing") == []


@pytest.mark.django_db
def test_the_default_backend_of_embedded_mode_writes_files(settings: Any, tmp_path: Path) -> None:
    from django.core.mail import send_mail

    settings.EMAIL_BACKEND = "fanarchive.archive.accounts.mailfiles.MailDirBackend"
    settings.MAIL_DIR = tmp_path / "mail"
    send_mail("Hello", "Body", None, ["ada@example.org"])
    (message,) = stored_messages(settings.MAIL_DIR)
    assert message.subject == "Hello"


def test_first_staff_account_invitation_and_mail_commands(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env_password = {"FANARCHIVE_SUPERUSER_PASSWORD": "harbour-lantern-keeper-9"}
    os.environ.update(env_password)
    try:
        made = run_cli("createsuperuser", "--username", "keeper", "--email", "keeper@example.org", home=home)
        again = run_cli("createsuperuser", "--username", "KEEPER", "--email", "k@example.org", home=home)
    finally:
        os.environ.pop("FANARCHIVE_SUPERUSER_PASSWORD")
    assert made.returncode == 0, made.stderr
    assert "created staff account keeper" in made.stdout
    assert again.returncode == 1 and "taken" in again.stderr

    assert run_cli("mail", home=home).stdout.startswith("no mail in ")
    invited = run_cli("invite", "newcomer@example.org", home=home)
    assert invited.returncode == 0, invited.stderr
    assert "invited newcomer@example.org" in invited.stdout

    listing = run_cli("mail", home=home)
    assert listing.returncode == 0
    (line,) = listing.stdout.splitlines()
    assert line.split()[0] == "1" and "newcomer@example.org" in line and "Your invitation" in line
    shown = run_cli("mail", "show", "1", home=home)
    assert shown.returncode == 0 and "/invitations/" in shown.stdout
    assert run_cli("mail", "show", "2", home=home).returncode == 1

    granted = run_cli("role", "keeper", "--add", "wrangler", home=home)
    assert granted.returncode == 0 and granted.stdout.strip() == "keeper: wrangler, archivist, staff"
    assert run_cli("role", "nobody", home=home).returncode == 1


def test_mail_refuses_a_folder_without_an_archive(tmp_path: Path) -> None:
    result = run_cli("mail", home=tmp_path / "nowhere")
    assert result.returncode != 0 and "FANARCHIVE_HOME" in result.stderr
    assert not (tmp_path / "nowhere").exists()
