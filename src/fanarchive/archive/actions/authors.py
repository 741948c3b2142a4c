from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Lower

from fanarchive.archive.models import Pseud, User

# Django's username validator accepts word characters and .@+-_ only.
_NOT_USERNAME = re.compile(r"[^\w.@+-]+")
ANONYMOUS = "Anonymous"
# Names in one IN (...) list, well under SQLite's and PostgreSQL's limits on parameters.
_BATCH = 500


def username_for(name: str) -> str:
    username = _NOT_USERNAME.sub("_", name.strip()).strip("_")[:150]
    return username or "orphan_account"


def byline_name(name: str) -> str:
    """A byline name as its pseud is named: whitespace runs one space, cut to the column."""
    return " ".join(name.split())[:150] or ANONYMOUS


def pseud_for_author(name: str) -> Pseud:
    """The pseud an imported byline name stands for, creating an unclaimed account on first sight."""
    name = byline_name(name)
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


def pseuds_for_authors(names: Iterable[str]) -> dict[str, Pseud]:
    """pseud_for_author for many byline names at once (an import's batch of works), by their
    byline_name, the accounts and pseuds found and made as one by one in this order would: one query
    for the accounts, one insert for the new ones, one query and one insert for the pseuds.

    A name is left to _imported_user alone when the first user name it would take is held by
    another account in any case (it takes the next free name), or is outside ASCII (compared as
    lowered below only where Python and the database lower a name alike)."""
    wanted = list(dict.fromkeys(byline_name(name) for name in names))
    usernames = list(dict.fromkeys(username_for(name) for name in wanted))
    plain = [username.lower() for username in usernames if username.isascii()]
    # Grouped by the database's own lowering of the holder's name: PostgreSQL's lower() reaches
    # outside ASCII (the Kelvin sign is a k), SQLite's does not.
    holders: dict[str, list[User]] = defaultdict(list)
    for start in range(0, len(plain), _BATCH):
        query = User.objects.annotate(lowered=Lower("username")).filter(
            lowered__in=plain[start : start + _BATCH]
        )
        for holder in query:
            holders[holder.lowered].append(holder)
    users: dict[str, User] = {}
    new: list[User] = []
    alone: list[str] = []
    for username in usernames:
        held = holders[username.lower()] if username.isascii() else None
        if found := next((user for user in held or () if user.username == username and user.imported), None):
            users[username] = found
        elif held == []:
            user = User(username=username, imported=True, is_active=False)
            user.set_unusable_password()
            # A later name of this batch lowered alike meets this account, as one by one it would.
            held.append(user)
            users[username] = user
            new.append(user)
        else:
            alone.append(username)
    User.objects.bulk_create(new)
    users.update((username, _imported_user(username)) for username in alone)
    return _pseuds_named({name: users[username_for(name)] for name in wanted})


def _pseuds_named(owners: dict[str, User]) -> dict[str, Pseud]:
    """Each name's pseud of its account, made where missing: an account's first pseud is its default."""
    user_ids = {user.pk for user in owners.values()}
    existing: dict[tuple[int, str], Pseud] = {}
    ids = sorted(user_ids)
    for start in range(0, len(ids), _BATCH):
        for pseud in Pseud.objects.filter(user_id__in=ids[start : start + _BATCH]).order_by():
            existing[(pseud.user_id, pseud.name)] = pseud
    has_pseuds = {user_id for user_id, _name in existing}
    new: list[Pseud] = []
    for name, user in owners.items():
        if (user.pk, name) not in existing:
            pseud = Pseud(user=user, name=name, is_default=user.pk not in has_pseuds)
            has_pseuds.add(user.pk)
            existing[(user.pk, name)] = pseud
            new.append(pseud)
    Pseud.objects.bulk_create(new)
    found = {name: existing[(user.pk, name)] for name, user in owners.items()}
    for name, pseud in found.items():
        pseud.user = owners[name]  # the accounts in hand: none is read again per name
    return found


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
