"""One schemathesis operation checked by hypothesis with a bounded number of examples, against a
live server: no 5xx, only documented statuses, content types and schemas. (`positive_data_acceptance`
is left out: a schema-valid request for a work that does not exist is rightly refused.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance


def operation_checker(
    operation: Any, base_url: str, headers: dict[str, str], examples: int
) -> Callable[[], None]:
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case: Any) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, excluded_checks=[positive_data_acceptance])

    return check
