"""Roles beyond a reader's: tag wranglers and archivists are Django groups, staff is `is_staff`.

The groups' permissions are Django's own model permissions (no custom ones: they would need a
migration); `actions.accounts.do_ensure_roles` makes the groups, and these predicates are what
other code asks."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from fanarchive.archive.models import User

WRANGLERS = "Tag wranglers"
ARCHIVISTS = "Archivists"

# Role name on the command line -> group name (staff is a flag, not a group).
ROLE_GROUPS = {"wrangler": WRANGLERS, "archivist": ARCHIVISTS}
ROLES = (*ROLE_GROUPS, "staff")

# app_label.codename of each group's permissions: wranglers edit tags and their links; archivists
# import works for others and decide claims (and see works to attach them to).
GROUP_PERMISSIONS: dict[str, tuple[str, ...]] = {
    WRANGLERS: (
        "archive.view_tag",
        "archive.add_tag",
        "archive.change_tag",
        "archive.view_tagparent",
        "archive.add_tagparent",
        "archive.change_tagparent",
        "archive.delete_tagparent",
        "archive.view_metatagging",
        "archive.add_metatagging",
        "archive.change_metatagging",
        "archive.delete_metatagging",
    ),
    ARCHIVISTS: (
        "archive.view_work",
        "archive.add_work",
        "archive.view_claim",
        "archive.change_claim",
    ),
}


def _in_group(user: User | AnonymousUser, group: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or user.groups.filter(name=group).exists()


def is_wrangler(user: User | AnonymousUser) -> bool:
    return _in_group(user, WRANGLERS)


def is_archivist(user: User | AnonymousUser) -> bool:
    return _in_group(user, ARCHIVISTS)


def is_staff(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def roles_of(user: User) -> list[str]:
    checks = {"wrangler": is_wrangler, "archivist": is_archivist, "staff": is_staff}
    return [role for role in ROLES if checks[role](user)]
