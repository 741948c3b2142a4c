"""schemathesis against a live server: every read (GET) endpoint of the OpenAPI document, asked
anonymously and with a token of each scope, must answer without a 5xx, with a status the document
lists, in its content type and inside its schema (support/schemathesis_checks.py says what is
not checked, and why). The default suite runs a few examples of each operation and caller; the slow
one many more (scripts/test.sh runs both on SQLite, the default one on PostgreSQL too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from schemathesis.core.failures import FailureGroup

from fanarchive.archive.actions.api_tokens import do_create_api_token
from fanarchive.archive.indexing.indexer import drain_all
from fanarchive.archive.indexing.service import get_backend
from fanarchive.archive.models import User, Work
from fanarchive.archive.models.api import TOKEN_SCOPES
from support.schemathesis_checks import operation_checker

CALLERS = ("anonymous", *TOKEN_SCOPES)


def _run(live_server: Any, make_work: Callable[..., Work], examples: int) -> list[str]:
    # Something to find: a work with chapters, tags, an author and a series.
    make_work("Gull Weather", owner="harbourwright")
    make_work("Lamp Oil", chapters=1)
    drain_all(get_backend())
    staff = User.objects.create_user("prober", password="x", is_staff=True)
    headers: dict[str, dict[str, str]] = {"anonymous": {}} | {
        scope: {"Authorization": f"Bearer {do_create_api_token(staff, scope, [scope])[1]}"}
        for scope in TOKEN_SCOPES
    }
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid document fails here, loudly
        if operation.method.upper() != "GET":
            continue  # the writes: tests/api/test_schemathesis_writes.py, as members who own things
        for caller in CALLERS:
            try:
                operation_checker(operation, live_server.url, headers[caller], examples)()
            except (FailureGroup, AssertionError) as error:
                failures.append(f"{operation.label} as {caller}: {str(error)[:600]}")
    return failures


@pytest.mark.django_db(transaction=True)
def test_every_operation_keeps_to_the_document(live_server: Any, make_work: Callable[..., Work]) -> None:
    failures = _run(live_server, make_work, examples=5)
    assert not failures, "\n\n".join(failures)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_operation_keeps_to_the_document_at_length(
    live_server: Any, make_work: Callable[..., Work]
) -> None:
    failures = _run(live_server, make_work, examples=60)
    assert not failures, "\n\n".join(failures)
