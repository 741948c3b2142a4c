"""fanarchive createsuperuser: the first staff account, ready to log in on the site and the admin."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from fanarchive.cli.setup import setup_django

PASSWORD_VARIABLE = "FANARCHIVE_SUPERUSER_PASSWORD"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "createsuperuser",
        help="create a staff account (superuser) that can log in at once",
        description="Create a superuser: staff on the admin site, with a default pseud named after "
        "the user name and the e-mail address marked confirmed, so it logs in at once on the site "
        "and at /admin/. The password is asked for twice, or read from "
        f"${PASSWORD_VARIABLE} (for scripts). Django's password rules apply.",
    )
    parser.add_argument("--username", required=True)
    parser.add_argument("--email", required=True)
    parser.set_defaults(run=run)


def _password() -> str:
    if password := os.environ.get(PASSWORD_VARIABLE):
        return password
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise SystemExit("fanarchive createsuperuser: the passwords differ")
    return first


def run(args: argparse.Namespace) -> int:
    setup_django(migrate=True)
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from fanarchive.archive.actions import ActionError
    from fanarchive.archive.actions.accounts import do_create_staff_account
    from fanarchive.archive.models import User

    try:
        validate_email(args.email)
        User.username_validator(args.username)
        password = _password()
        validate_password(password, User(username=args.username, email=args.email))
        user = do_create_staff_account(args.username, args.email, password)
    except (ValidationError, ActionError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        print(f"fanarchive createsuperuser: {' '.join(messages)}", file=sys.stderr)
        return 1
    print(f"created staff account {user.username} <{user.email}>; log in at /accounts/login/ or /admin/")
    return 0
