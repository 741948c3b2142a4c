"""An imported byline's account is found through the index on lower(username), never by a scan of
the users table (the one import lookup that grew with the archive), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanarchive.archive.actions.authors import pseud_for_author
from fanarchive.archive.models import User


def _user_lookups(name: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        pseud_for_author(name)
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and "lower(" in q["sql"].lower()
    ]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return " / ".join(str(row[-1]) for row in cursor.fetchall())
        # A test table is small enough for the planner to prefer a scan: forbid it, and see
        # whether the index can serve the query at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return " / ".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db(transaction=False)
def test_the_imported_author_lookup_uses_the_lower_username_index() -> None:
    User.objects.create(username="Someone_Else")
    [lookup] = _user_lookups("Wren Ashdown")
    plan = _plan(lookup)
    assert "user_username_lower" in plan, plan


@pytest.mark.django_db
def test_case_blind_match_keeps_members_and_non_ascii_names_apart() -> None:
    member = User.objects.create(username="marisol_vane")
    first = pseud_for_author("Marisol Vane")
    assert first.user != member
    assert first.user.username == "Marisol_Vane-imported"
    # Found again, not made twice; a name outside ASCII is its own account each time too.
    assert pseud_for_author("Marisol Vane").user == first.user
    eloise = pseud_for_author("Éloïse Brandt").user
    assert pseud_for_author("Éloïse Brandt").user == eloise
    assert User.objects.filter(imported=True).count() == 2
