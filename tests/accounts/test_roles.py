"""Roles: tag wranglers and archivists (groups made after migrate), staff (the admin flag)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client

from fanarchive.archive.accounts.roles import (
    ARCHIVISTS,
    WRANGLERS,
    is_archivist,
    is_staff,
    is_wrangler,
    roles_of,
)
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.accounts import do_ensure_roles, do_set_role
from fanarchive.archive.actions.tags import do_create_tag
from fanarchive.archive.models import User
from fanarchive.domain.tags import TagKind

pytestmark = pytest.mark.django_db


def _user(name: str, **flags: bool) -> User:
    return User.objects.create_user(name, f"{name}@example.org", "x", **flags)


def test_the_groups_exist_after_migrate_with_their_permissions() -> None:
    wranglers = Group.objects.get(name=WRANGLERS)
    assert {"change_tag", "add_metatagging", "delete_tagparent"} <= set(
        wranglers.permissions.values_list("codename", flat=True)
    )
    assert "change_work" not in set(wranglers.permissions.values_list("codename", flat=True))
    archivists = Group.objects.get(name=ARCHIVISTS)
    assert {"add_work", "change_claim"} <= set(archivists.permissions.values_list("codename", flat=True))
    # Running it again changes nothing.
    do_ensure_roles()
    assert Group.objects.filter(name__in=[WRANGLERS, ARCHIVISTS]).count() == 2


def test_each_role_predicate() -> None:
    reader = _user("reader")
    assert roles_of(reader) == []
    do_set_role(reader, "wrangler", granted=True)
    assert is_wrangler(reader) and not is_archivist(reader) and not is_staff(reader)
    do_set_role(reader, "archivist", granted=True)
    do_set_role(reader, "wrangler", granted=False)
    assert roles_of(reader) == ["archivist"]
    do_set_role(reader, "staff", granted=True)
    assert roles_of(reader) == ["archivist", "staff"]
    reader.is_active = False
    assert roles_of(reader) == []
    assert not is_wrangler(AnonymousUser()) and not is_staff(AnonymousUser())
    boss = User.objects.create_superuser("boss", "boss@example.org", "x")
    assert roles_of(boss) == ["wrangler", "archivist", "staff"]
    with pytest.raises(ActionError):
        do_set_role(reader, "emperor", granted=True)


def test_the_admin_tag_pages_are_a_wranglers_and_not_a_plain_staff_members() -> None:
    tag = do_create_tag("Sea Shanties", TagKind.FREEFORM)
    staff = _user("staff", is_staff=True)
    wrangler = _user("wrangler", is_staff=True)
    do_set_role(wrangler, "wrangler", granted=True)

    plain = Client()
    plain.force_login(staff)
    assert plain.get("/admin/archive/tag/").status_code == 403

    client = Client()
    client.force_login(wrangler)
    assert client.get("/admin/archive/tag/").status_code == 200
    assert client.get(f"/admin/archive/tag/{tag.pk}/change/").status_code == 200
    assert not tag.canonical
    response = client.post(
        "/admin/archive/tag/", {"action": "make_canonical", "_selected_action": [str(tag.pk)]}
    )
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.canonical
    # Works are an archivist's (and staff with the permission), not a wrangler's.
    assert client.get("/admin/archive/work/").status_code == 403
    archivist = _user("archivist", is_staff=True)
    do_set_role(archivist, "archivist", granted=True)
    other = Client()
    other.force_login(archivist)
    assert other.get("/admin/archive/work/").status_code == 200
