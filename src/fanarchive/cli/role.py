"""fanarchive role: grant or take away the wrangler, archivist and staff roles."""

from __future__ import annotations

import argparse
import sys

from fanarchive.cli.setup import setup_django

ROLE_NAMES = ("wrangler", "archivist", "staff")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "role",
        help="show, grant or take away a user's roles (wrangler, archivist, staff)",
        description="Roles beyond a reader's: `wrangler` (the Tag wranglers group: edit tags, "
        "synonyms, parents and meta tags), `archivist` (the Archivists group: import works for "
        "others, decide claims) and `staff` (the admin site; staff also see works hidden by an "
        "admin). The admin's wrangling pages need staff as well as wrangler. "
        "`fanarchive role USER` shows the user's roles.",
    )
    parser.add_argument("username", metavar="USER")
    parser.add_argument("--add", action="append", default=[], choices=ROLE_NAMES, metavar="ROLE")
    parser.add_argument("--remove", action="append", default=[], choices=ROLE_NAMES, metavar="ROLE")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    setup_django(migrate=True)
    from fanarchive.archive.accounts.roles import roles_of
    from fanarchive.archive.actions.accounts import do_set_role
    from fanarchive.archive.models import User

    user = User.objects.filter(username__iexact=args.username).first()
    if user is None:
        print(f"fanarchive role: no user {args.username!r}", file=sys.stderr)
        return 1
    for role in args.add:
        do_set_role(user, role, granted=True)
    for role in args.remove:
        do_set_role(user, role, granted=False)
    print(f"{user.username}: {', '.join(roles_of(user)) or 'no roles (a reader and author)'}")
    return 0
