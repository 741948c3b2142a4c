"""`fanarchive import`: every file parsed, every work stored in its own transaction; a failure is
reported with the file's name and never stops the run or touches other works."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.imports import IMPORTED, UNCHANGED, UPDATED, do_import_work
from fanarchive.archive.sources import DEFAULT_MAX_BYTES, SourceProblem, iter_sources
from fanarchive.domain.formats.base import ParseError
from fanarchive.domain.formats.detect import parse_source
from fanarchive.domain.merge import is_partial, merge_partial_works
from fanarchive.domain.text import DecodeError
from fanarchive.domain.work import ParsedWork


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=lambda: {IMPORTED: 0, UPDATED: 0, UNCHANGED: 0})
    failures: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0

    @property
    def works(self) -> int:
        return sum(self.counts.values())

    @property
    def failed(self) -> int:
        return len(self.failures)


def run_import(
    paths: list[str],
    *,
    format_name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    report = ImportReport()
    # Parts of one work can arrive in several files: gather them and store each work once, merged.
    partials: list[tuple[str, ParsedWork]] = []
    for source in iter_sources(paths, max_bytes=max_bytes):
        report.files += 1
        if isinstance(source, SourceProblem):
            report.failures.append((source.name, source.reason))
            continue
        try:
            works = parse_source(source, format_name)
        except (ParseError, DecodeError, KeyError) as error:
            report.failures.append((source.name, _reason(error)))
            continue
        except Exception as error:  # a parser bug must not end the run
            report.failures.append((source.name, f"could not be parsed ({type(error).__name__}: {error})"))
            continue
        for parsed in works:
            if is_partial(parsed):
                partials.append((source.name, parsed))
            else:
                _store(report, source.name, parsed, on_progress)
    names = {id(parsed): name for name, parsed in partials}
    for parsed in merge_partial_works([parsed for _name, parsed in partials]):
        _store(report, names.get(id(parsed), "(merged parts)"), parsed, on_progress)
    return report


def _store(
    report: ImportReport, name: str, parsed: ParsedWork, on_progress: Callable[[ImportReport], None] | None
) -> None:
    try:
        outcome = do_import_work(parsed)
    except (ActionError, DatabaseError, ValueError) as error:
        report.failures.append((f"{name} [{parsed.title}]", f"not stored: {error}"))
        return
    report.counts[outcome.status] += 1
    if on_progress is not None:
        on_progress(report)


def _reason(error: Exception) -> str:
    return str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
