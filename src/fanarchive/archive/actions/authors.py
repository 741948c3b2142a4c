from __future__ import annotations

import re

from django.db import transaction

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
    user, created = User.objects.get_or_create(username=username_for(name), defaults={"imported": True})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    pseud = user.pseuds.filter(name=name).first()
    if pseud is None:
        pseud = user.pseuds.create(name=name, is_default=not user.pseuds.exists())
    return pseud


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
