from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Lower

from fanarchive.archive.models import Pseud, User

# Django's username validator accepts word characters and .@+-_ only.
_NOT_USERNAME = re.compile(r"[^\w.@+-]+")
ANONYMOUS = "Anonymous"


def username_for(name: str) -> str:
    username = _NOT_USERNAME.sub("_", name.strip()).strip("_")[:150]
    return username or "orphan_account"


def pseud_for_author(name: str) -> Pseud:
    """The pseud an imported byline name stands for, creating an unclaimed account on first sight."""
    name = " ".join(name.split())[:150] or ANONYMOUS
    user = _imported_user(username_for(name))
    pseud = user.pseuds.filter(name=name).first()
    if pseud is None:
        pseud = user.pseuds.create(name=name, is_default=not user.pseuds.exists())
    return pseud


def _imported_user(username: str) -> User:
    """The imported account for a byline's user name. A member's account is never it, whatever its
    name: whoever signed up as "Marisol_Vane" before an archivist imported Marisol Vane's works
    must claim them like anyone else, so the imported account takes the next free name instead."""
    for number in range(1, 100):
        candidate = username if number == 1 else f"{username[:140]}-imported{'' if number == 2 else number}"
        # Lowered by the database on both sides (SQLite's lower() is ASCII-only, like its LIKE),
        # the form the index on lower(username) serves.
        holders = list(User.objects.alias(lowered=Lower("username")).filter(lowered=Lower(Value(candidate))))
        if found := next((user for user in holders if user.username == candidate and user.imported), None):
            return found
        if not holders:
            # Inactive too: the source's address on it must not let a password reset open it.
            user = User(username=candidate, imported=True, is_active=False)
            user.set_unusable_password()
            user.save()
            return user
    raise ValueError(f"no free user name for the imported author {username!r}")


@transaction.atomic
def do_ensure_default_pseud(user: User) -> Pseud:
    """The user's default pseud, made under their user name when they have none."""
    pseud = user.default_pseud()
    if pseud is None:
        pseud, _created = user.pseuds.get_or_create(name=user.username, defaults={"is_default": True})
        if not pseud.is_default:
            pseud.is_default = True
            pseud.save(update_fields=["is_default"])
    return pseud
