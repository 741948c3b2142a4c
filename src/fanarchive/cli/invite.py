"""fanarchive invite: send sign-up invitations (FANARCHIVE_SIGNUP=invite), from the queue or to
addresses given."""

from __future__ import annotations

import argparse

from fanarchive.cli.setup import setup_django


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "invite",
        help="send sign-up invitations, from the invitation queue or to addresses given",
        description="With FANARCHIVE_SIGNUP=invite, visitors join a queue at /invitations/request. "
        "`fanarchive invite --queue N` e-mails the N oldest a sign-up link (each works once); "
        "`fanarchive invite ADDRESS...` invites those addresses directly; `fanarchive invite` alone "
        "lists the queue.",
    )
    parser.add_argument("emails", nargs="*", metavar="ADDRESS")
    parser.add_argument("--queue", type=int, metavar="N", help="invite the N oldest addresses in the queue")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    setup_django(migrate=True)
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from fanarchive.archive.accounts.invitations import queued, send_invitation
    from fanarchive.archive.actions.accounts import do_issue_invitation

    if settings.SIGNUP_MODE != "invite":
        print(
            f"note: FANARCHIVE_SIGNUP is {settings.SIGNUP_MODE!r}; invitations open sign-up only in 'invite' mode"
        )
    for email in args.emails:
        try:
            validate_email(email)
        except ValidationError:
            print(f"fanarchive invite: not an e-mail address: {email}")
            return 2
    sending = [do_issue_invitation(email) for email in args.emails]
    if args.queue:
        sending += queued(args.queue)
    if not sending:
        waiting = queued()
        print(f"{len(waiting)} waiting in the invitation queue")
        for invitation in waiting:
            print(f"  {invitation.created_at:%Y-%m-%d %H:%M}  {invitation.email}")
        return 0
    for invitation in sending:
        send_invitation(invitation)
        print(f"invited {invitation.email}")
    return 0
