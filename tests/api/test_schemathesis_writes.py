"""schemathesis on the write operations (every method but GET) against a live server, as a member
who owns works, comments, bookmarks and a webhook, so that generated requests reach the actions
rather than stopping at 404: with a token of each scope, and as staff with the import and admin
scopes, no 5xx, no status the document does not list, no answer outside its schema.
tests/api/test_schema_conformance.py covers every operation as a staff member who owns nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from schemathesis.core.failures import FailureGroup

from fanarchive.archive.actions.api_tokens import do_create_api_token
from fanarchive.archive.actions.comments import do_post_comment
from fanarchive.archive.actions.webhooks import do_create_webhook
from fanarchive.archive.models import User, Work
from fanarchive.archive.models.api import TOKEN_SCOPES
from support.schemathesis_checks import operation_checker


@pytest.fixture(autouse=True)
def private_webhooks(settings: Any, jobs_inline: None) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE = True


def _callers(make_work: Callable[..., Work]) -> dict[str, dict[str, str]]:
    work = make_work("Gull Weather", owner="writer")
    make_work("Lamp Oil", owner="writer", chapters=1)
    writer = User.objects.get(username="writer")
    do_post_comment(work, "The gulls.", user=writer)
    do_create_webhook(writer, "http://127.0.0.1:9/hook")
    staff = User.objects.create_user("keeper", password="x", is_staff=True)
    callers: dict[str, dict[str, str]] = {"anonymous": {}}
    for user, scopes in ((writer, ("read", "write", "import")), (staff, TOKEN_SCOPES)):
        for scope in scopes:
            token = do_create_api_token(user, scope, [scope])[1]
            callers[f"{user.username}:{scope}"] = {"Authorization": f"Bearer {token}"}
    return callers


def _failures(live_server: Any, make_work: Callable[..., Work], examples: int) -> list[str]:
    callers = _callers(make_work)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]
        if operation.method.upper() == "GET":
            continue
        for caller, headers in callers.items():
            check = operation_checker(operation, live_server.url, headers, examples)
            try:
                check()
            except (FailureGroup, AssertionError) as error:
                failures.append(f"{operation.label} as {caller}: {str(error)[:600]}")
    return failures


@pytest.mark.django_db(transaction=True)
def test_write_operations_keep_to_the_document(live_server: Any, make_work: Callable[..., Work]) -> None:
    failures = _failures(live_server, make_work, examples=4)
    assert not failures, "\n\n".join(failures)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_write_operations_keep_to_the_document_at_length(
    live_server: Any, make_work: Callable[..., Work]
) -> None:
    failures = _failures(live_server, make_work, examples=20)
    assert not failures, "\n\n".join(failures)
