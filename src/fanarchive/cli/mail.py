"""fanarchive mail: read the messages the archive wrote under FANARCHIVE_HOME/mail (embedded mode)."""

from __future__ import annotations

import argparse
import sys

from fanarchive.cli.setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "mail",
        help="list or show the e-mail kept under FANARCHIVE_HOME/mail",
        description="Without an SMTP server (FANARCHIVE_EMAIL_URL unset) the archive writes each "
        "message it sends (sign-up confirmations, password resets, invitations) as a file under "
        "$FANARCHIVE_HOME/mail/. `fanarchive mail` lists them newest first (number, date, to, "
        "subject); `fanarchive mail show N` prints message N of that list.",
    )
    parser.add_argument("action", nargs="?", choices=["list", "show"], default="list")
    parser.add_argument("number", nargs="?", type=int, help="with show: the message's number in the list")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    setup_django(read_only=True)
    from django.conf import settings

    from fanarchive.archive.accounts.mailfiles import message_text, stored_messages

    messages = stored_messages(settings.MAIL_DIR)
    if args.action == "show":
        if args.number is None or not 1 <= args.number <= len(messages):
            print(f"fanarchive mail: no message {args.number} (there are {len(messages)})", file=sys.stderr)
            return 1
        print(message_text(messages[args.number - 1].path), end="")
        return 0
    if not messages:
        print(f"no mail in {settings.MAIL_DIR}")
        return 0
    for number, message in enumerate(messages, 1):
        print(f"{number:>4}  {message.date}  {message.to}  {message.subject}")
    return 0
