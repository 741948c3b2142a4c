"""Migration 0007 moves the addresses imports stored as imported accounts' own `email` to
`source_email`: their authors can then sign up with them, and no password reset reaches them."""

from __future__ import annotations

import pytest
from tests.archive.test_reclean_migration import _latest, _migrate

BEFORE = [("archive", "0006_sanitizer_v3")]
AFTER = [("archive", "0007_imported_source_email")]


@pytest.mark.django_db(transaction=True)
def test_imported_accounts_addresses_move_and_members_keep_theirs() -> None:
    old = _migrate(BEFORE)
    User = old.get_model("archive", "User")
    imported = User.objects.create(username="Ghost_Writer", imported=True, email="ghost@old.example")
    member = User.objects.create(username="ada", email="ada@example.org")
    try:
        User = _migrate(AFTER).get_model("archive", "User")
        moved = User.objects.get(pk=imported.pk)
        assert (moved.email, moved.source_email) == ("", "ghost@old.example")
        kept = User.objects.get(pk=member.pk)
        assert (kept.email, kept.source_email) == ("ada@example.org", "")
    finally:
        _migrate(list(_latest()))
