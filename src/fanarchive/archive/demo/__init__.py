"""The demo works a fresh archive starts with: original writing, stored through the same import
action as any other work."""

from __future__ import annotations

from importlib import resources

from fanarchive.archive.actions.imports import ImportOutcome, do_import_work
from fanarchive.archive.models import Work
from fanarchive.domain.work import works_from_json


def demo_works_json() -> str:
    return resources.files(__package__).joinpath("works.json").read_text(encoding="utf-8")


def load_demo() -> list[ImportOutcome]:
    return [do_import_work(work) for work in works_from_json(demo_works_json())]


def load_demo_if_empty() -> list[ImportOutcome]:
    return [] if Work.objects.exists() else load_demo()
