from __future__ import annotations

import json
import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from fanarchive.domain.work import ParsedWork, works_to_json

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="session")
def work_schema() -> dict:
    return json.loads(resources.files("fanarchive.domain").joinpath("work.schema.json").read_text())


@pytest.fixture
def assert_valid_works(work_schema: dict) -> Callable[[list[ParsedWork]], dict]:
    """Validates parser output against the published schema; returns the JSON form for asserts."""

    def check(works: list[ParsedWork]) -> dict:
        data = json.loads(works_to_json(works))
        jsonschema.validate(data, work_schema)
        return data

    return check


@pytest.fixture
def samples_dir() -> Path:
    if not SAMPLES.is_dir():
        # CI always has shared/ beside the clone; only a bare checkout elsewhere may lack it.
        if os.environ.get("CI"):
            pytest.fail(f"shared samples not found at {SAMPLES}")
        pytest.skip(f"shared samples not found at {SAMPLES}")
    return SAMPLES


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
