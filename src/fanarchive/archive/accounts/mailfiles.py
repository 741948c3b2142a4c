"""Embedded mode's e-mail: each message is a file under FANARCHIVE_HOME/mail/, so the owner of a
one-machine archive reads sign-up confirmations with `fanarchive mail` without any mail server.

A message is written whole to a temporary file and renamed into place: a reader never finds half
of one. Files are 0600 in a 0700 folder, as the rest of the archive's folder (datadir.py): they
hold password-reset links."""

from __future__ import annotations

import dataclasses
import os
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage as ParsedMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from fanarchive import datadir

SUFFIX = ".eml"


class MailDirBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.directory = Path(settings.MAIL_DIR)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                write_message(self.directory, message.message().as_bytes())
            except OSError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent


def write_message(directory: Path, raw: bytes) -> Path:
    datadir.make_home(directory)
    # The name sorts by time of writing; the random part keeps two messages in one microsecond apart.
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}"
    temp = directory / f".{name}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, datadir.PRIVATE_FILE)
    try:
        with open(fd, "wb") as file:
            file.write(raw)
            file.flush()
            os.fsync(file.fileno())
        final = directory / f"{name}{SUFFIX}"
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    return final


@dataclasses.dataclass(frozen=True)
class StoredMessage:
    path: Path
    date: str
    to: str
    subject: str


def read_message(path: Path) -> ParsedMessage:
    with path.open("rb") as file:
        message = BytesParser(policy=policy.default).parse(file)
    assert isinstance(message, ParsedMessage)
    return message


def stored_messages(directory: Path) -> list[StoredMessage]:
    """The messages kept, newest first."""
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob(f"*{SUFFIX}"), reverse=True):
        message = read_message(path)
        found.append(
            StoredMessage(
                path, str(message["Date"] or ""), str(message["To"] or ""), str(message["Subject"] or "")
            )
        )
    return found


def message_text(path: Path) -> str:
    """Headers a reader wants, then the plain-text body (the HTML one when there is no other)."""
    message = read_message(path)
    head = "".join(
        f"{name}: {message[name]}\n" for name in ("Date", "From", "To", "Subject") if message[name]
    )
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    return f"{head}\n{text}"
