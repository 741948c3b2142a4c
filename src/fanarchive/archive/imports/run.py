"""`fanarchive import`: every file parsed in a limited worker process, works stored in batches of
one transaction (their new works looked up and inserted together), a work that fails taking no
other with it (a batch whose commit fails is stored again work by work); a failure is reported with the file's name and a one-line reason and never stops
the run or touches other works."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

from fanarchive.archive.actions.imports import (
    IMPORTED,
    UNCHANGED,
    UPDATED,
    ImportOutcome,
    do_import_work,
    do_import_works,
)
from fanarchive.archive.imports.sources import DEFAULT_MAX_BYTES, LocatedSource, SourceProblem, iter_sources
from fanarchive.archive.imports.worker import ReaderPool, ReadFailed, Request, WorkerLimits
from fanarchive.domain.default_fandom import apply_default_fandom
from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.formats.detect import parse_source
from fanarchive.domain.merge import is_partial, merge_partial_works
from fanarchive.domain.work import ParsedWork

if TYPE_CHECKING:
    from fanarchive.archive.models import User

FAILED = "failed"
INCOMPLETE = "incomplete"
# The metadata key a reader sets to the files of chapter text it was told of and could not find.
MISSING_TEXT = "missing_chapter_files"


@dataclass
class FileOutcome:
    """One file's (or zip member's) result, as `--report` writes it."""

    name: str
    status: str  # imported, updated, unchanged, failed (a file with several works: the worst)
    reason: str = ""
    works: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.name, "status": self.status, "reason": self.reason or None, "works": self.works}


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=lambda: {IMPORTED: 0, UPDATED: 0, UNCHANGED: 0})
    failures: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0
    outcomes: list[FileOutcome] = field(default_factory=list)
    # Works stored without text their source says they have (a dump's chapter files not beside
    # it): (file [title], reason). Stored, so a later import with the files updates them.
    incomplete: list[tuple[str, str]] = field(default_factory=list)

    @property
    def works(self) -> int:
        return sum(self.counts.values())

    @property
    def failed(self) -> int:
        return len(self.failures)

    def fail(self, name: str, reason: str, outcome: FileOutcome | None = None) -> None:
        self.failures.append((name, reason))
        if outcome is None:
            self.outcomes.append(FileOutcome(name, FAILED, reason))
        else:
            outcome.status = FAILED
            outcome.reason = outcome.reason or reason

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "counts": {**self.counts, FAILED: self.failed, INCOMPLETE: len(self.incomplete)},
            "outcomes": [outcome.to_dict() for outcome in self.outcomes],
        }


Reader = Callable[[SourceFile, str | None], list[ParsedWork]]


def run_import(
    paths: list[str],
    *,
    format_name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Callable[[ImportReport], None] | None = None,
    limits: WorkerLimits | None = None,
    sandbox: bool = True,
    owner: User | None = None,
    fandom: str | None = None,
) -> ImportReport:
    """`sandbox=False` parses in this process (the bench's comparison): never for untrusted files.
    `owner`: every work is credited to that account (`fanarchive import --owner`), not its byline.
    `fandom` (checked by default_fandom.check_fandom_name): the fandom of works whose source names
    none (`fanarchive import --fandom`)."""
    report = ImportReport()
    # Parts of one work can arrive in several files: gather them and store each work once, merged.
    partials: list[tuple[FileOutcome, ParsedWork]] = []
    with ReaderPool(limits) as pool, _Batch(report, on_progress, owner, fandom) as batch:
        sources = _guarded(iter_sources(paths, max_bytes=max_bytes), report)
        read = (
            pool.parse_each(
                sources, _request(format_name), before_waiting=batch.commit, patience=batch.patience
            )
            if sandbox
            else _read_here(sources, format_name)
        )
        for source, works in read:
            report.files += 1
            if isinstance(source, SourceProblem):
                report.fail(source.name, source.reason)
                continue
            if not isinstance(works, list):
                report.fail(source.name, str(works))
                continue
            outcome = FileOutcome(source.name, UNCHANGED)
            report.outcomes.append(outcome)
            for parsed in works:
                if is_partial(parsed):
                    partials.append((outcome, parsed))
                else:
                    batch.store(outcome, parsed)
            batch.commit_if_due()
        _store_merged(report, partials, batch)
    return report


def _store_merged(
    report: ImportReport, partials: list[tuple[FileOutcome, ParsedWork]], batch: _Batch
) -> None:
    outcomes = {id(parsed): outcome for outcome, parsed in partials}
    try:
        merged = merge_partial_works([parsed for _outcome, parsed in partials])
    except Exception as error:  # a merge bug loses the parts, not the run
        for outcome, _parsed in partials:
            report.fail(outcome.name, f"parts could not be merged ({type(error).__name__}: {error})", outcome)
        return
    for parsed in merged:
        outcome = outcomes.get(id(parsed)) or FileOutcome("(merged parts)", UNCHANGED)
        if outcome not in report.outcomes:
            report.outcomes.append(outcome)
        batch.store(outcome, parsed)


Parsed = tuple[SourceFile | SourceProblem, list[ParsedWork] | ReadFailed | None]


def _request(format_name: str | None) -> Callable[[SourceFile | SourceProblem], Request | None]:
    def request_of(item: SourceFile | SourceProblem) -> Request | None:
        if isinstance(item, SourceProblem):
            return None
        return item, item.origin if isinstance(item, LocatedSource) else (), format_name

    return request_of


def _read_here(sources: Iterator[SourceFile | SourceProblem], format_name: str | None) -> Iterator[Parsed]:
    """Parsing in this process, without the sandbox (the bench's comparison): never for untrusted files."""
    for item in sources:
        if isinstance(item, SourceProblem):
            yield item, None
            continue
        try:
            works: list[ParsedWork] | ReadFailed = parse_source(item, format_name)
        except Exception as error:  # a reader bug ends no run
            works = ReadFailed(f"could not be parsed ({type(error).__name__}: {error})")
        yield item, works


def _guarded(
    sources: Iterator[SourceFile | SourceProblem], report: ImportReport
) -> Iterator[SourceFile | SourceProblem]:
    """Walking folders and zips can fail too (a folder unreadable half-way): report it, keep what came."""
    try:
        yield from sources
    except Exception as error:
        report.fail("(walking the paths)", f"stopped early ({type(error).__name__}: {error})")


_RANK = {UNCHANGED: 0, UPDATED: 1, IMPORTED: 2, FAILED: 3}


# A commit per work, and the page-cache bump each commit brings, were a tenth of an import's CPU;
# a batch's works are looked up and inserted together, so the bigger it is the less each costs.
# Batches stay small and short all the same: SQLite has one writer, and a page's write waits while
# a batch is stored (only then: works are gathered without a transaction, and gathering goes on
# while the reader child reads only until the batch is due; see parse_each's `patience`).
BATCH_WORKS = 50
BATCH_SECONDS = 1.0


@dataclass
class _Attempt:
    """One work's storing, recorded in the report only once its batch is committed."""

    outcome: FileOutcome
    parsed: ParsedWork
    result: ImportOutcome | Exception


def _store_alone(parsed: ParsedWork, owner: User | None) -> ImportOutcome | Exception:
    """One work in a transaction of its own."""
    try:
        return do_import_work(parsed, owner=owner)
    except Exception as error:  # one work's storage failing (bad text, a database error) is its own
        return error


class _Batch:
    """Works stored in one transaction, BATCH_WORKS or BATCH_SECONDS at most: gathered as they are
    read, then stored together (do_import_works: a work that fails leaves nothing and the others
    stand) and committed, so the write lock is held only while they are stored. Should storing
    the batch or its commit fail as a whole, nothing of it is stored: each work is stored again
    in a transaction of its own. An exception out of the run (Ctrl-C) stores none of the batch."""

    def __init__(
        self,
        report: ImportReport,
        on_progress: Callable[[ImportReport], None] | None,
        owner: User | None,
        fandom: str | None,
    ) -> None:
        self._report, self._on_progress, self._owner, self._fandom = report, on_progress, owner, fandom
        self._waiting: list[tuple[FileOutcome, ParsedWork]] = []
        self._started = 0.0

    def __enter__(self) -> _Batch:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: Any) -> None:
        if error is None:
            self.commit()

    def store(self, outcome: FileOutcome, parsed: ParsedWork) -> None:
        if self._fandom is not None:
            apply_default_fandom(parsed, self._fandom)
        if not self._waiting:
            self._started = time.monotonic()
        self._waiting.append((outcome, parsed))
        self.commit_if_due()

    def patience(self) -> float:
        """How long the batch may wait for more works before it is due (0 with none gathered)."""
        return max(0.0, self._started + BATCH_SECONDS - time.monotonic()) if self._waiting else 0.0

    def commit_if_due(self) -> None:
        if len(self._waiting) >= BATCH_WORKS or time.monotonic() - self._started >= BATCH_SECONDS:
            self.commit()

    def commit(self) -> None:
        """Store the works gathered and commit them (called too when the reader child has not
        answered by the time the batch is due: a slow file delays no work longer)."""
        waiting, self._waiting = self._waiting, []
        if not waiting:
            return
        try:
            with transaction.atomic():
                results = do_import_works([parsed for _outcome, parsed in waiting], owner=self._owner)
        except Exception:
            results = [_store_alone(parsed, self._owner) for _outcome, parsed in waiting]
        for (outcome, parsed), result in zip(waiting, results, strict=True):
            _record(self._report, _Attempt(outcome, parsed, result), self._on_progress)


def _record(
    report: ImportReport, attempt: _Attempt, on_progress: Callable[[ImportReport], None] | None
) -> None:
    outcome, parsed, stored = attempt.outcome, attempt.parsed, attempt.result
    if isinstance(stored, Exception):
        reason = " ".join(f"not stored: {stored}".split())[:300]
        report.fail(f"{outcome.name} [{parsed.title}]", reason, outcome)
        outcome.works.append({"title": parsed.title, "status": FAILED, "reason": reason})
        return
    report.counts[stored.status] += 1
    entry: dict[str, Any] = {"title": parsed.title, "status": stored.status, "work_id": stored.work_id}
    if missing := parsed.metadata.get(MISSING_TEXT):
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        entry[INCOMPLETE] = f"stored without the text of {len(missing)} chapter(s): no file {shown}"
        report.incomplete.append((f"{outcome.name} [{parsed.title}]", entry[INCOMPLETE]))
    outcome.works.append(entry)
    if _RANK[stored.status] > _RANK.get(outcome.status, 0):
        outcome.status = stored.status
    if on_progress is not None:
        on_progress(report)


def read_upload(name: str, data: bytes, limits: WorkerLimits | None = None) -> list[ParsedWork]:
    """One uploaded file read as `fanarchive import` reads files: in the limited worker process,
    with no files beside it. Raises ReadFailed with the reason."""
    with ReaderPool(limits) as pool:
        return pool.parse(SourceFile(name=name, data=data), (), None)
