"""`fanarchive import` stores works in batches of one transaction: one commit for many works, a work
that fails leaves nothing and takes no other down, and a batch whose commit fails is stored again
work by work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection

from fanarchive.archive.actions import imports as import_actions
from fanarchive.archive.imports import run as run_module
from fanarchive.archive.imports.run import run_import
from fanarchive.archive.models import Chapter, User, Work
from fanarchive.domain.work import ParsedChapter, ParsedWork, works_to_json

TITLES = ["Low Tide", "The Lamplighter", "Salt Roads", "Bad Harbour", "Gull Season", "Night Ferry"]


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number, title in enumerate(TITLES, start=1):
        work = ParsedWork(
            title=title,
            authors=[f"author {number}"],
            chapters=[ParsedChapter(number=1, html=f"<p>The {title.lower()} came in {number} times.</p>")],
        )
        (inbox / f"{number}.json").write_text(works_to_json([work]))
    return inbox


def _count_commits(monkeypatch: pytest.MonkeyPatch, fail_first: bool = False) -> list[int]:
    commits: list[int] = []
    real = connection.commit

    def commit() -> None:
        commits.append(1)
        if fail_first and len(commits) == 1:
            connection.rollback()
            raise OperationalError("disk I/O error (the test's)")
        real()

    monkeypatch.setattr(connection, "commit", commit)
    return commits


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_works_is_one_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = _inbox(tmp_path)
    monkeypatch.setattr(run_module, "BATCH_SECONDS", 3600.0)
    commits = _count_commits(monkeypatch)
    report = run_import([str(inbox)], sandbox=False)
    assert report.counts["imported"] == len(TITLES)
    assert len(commits) == 1  # one work a commit before
    assert sorted(Work.objects.values_list("title", flat=True)) == sorted(TITLES)


@pytest.mark.django_db(transaction=True)
def test_a_work_failing_mid_batch_leaves_nothing_and_the_others_stand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = _inbox(tmp_path)
    real_save_tags = import_actions._save_tags

    def save_tags(work: Work, parsed: ParsedWork, **kwargs: Any) -> None:
        if parsed.title == "Bad Harbour":  # after its work, chapter and creator rows are written
            raise OperationalError("the test's failure")
        real_save_tags(work, parsed, **kwargs)

    monkeypatch.setattr(import_actions, "_save_tags", save_tags)
    report = run_import([str(inbox)], sandbox=False)
    assert report.counts["imported"] == len(TITLES) - 1
    assert report.failures == [(f"{inbox / '4.json'} [Bad Harbour]", "not stored: the test's failure")]
    assert not Work.objects.filter(title="Bad Harbour").exists()
    assert Work.objects.count() == Chapter.objects.count() == len(TITLES) - 1


@pytest.mark.django_db(transaction=True)
def test_a_batch_whose_commit_fails_is_stored_work_by_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = _inbox(tmp_path)
    monkeypatch.setattr(run_module, "BATCH_SECONDS", 3600.0)
    commits = _count_commits(monkeypatch, fail_first=True)
    report = run_import([str(inbox)], sandbox=False)
    assert report.failures == []
    assert report.counts["imported"] == len(TITLES)
    assert len(commits) == 1 + len(TITLES)
    assert Work.objects.count() == Chapter.objects.count() == len(TITLES)
    assert sorted(w["title"] for o in report.outcomes for w in o.works) == sorted(TITLES)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("answers_ready", [True, False])
def test_the_batch_is_committed_before_waiting_on_a_slow_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers_ready: bool
) -> None:
    """No work waits on a slow file: when the reader child's answer is not in by the time the batch
    is due (at once here), the works gathered are stored and committed before waiting on (a hostile
    file may take the whole timeout)."""
    from fanarchive.archive.imports.worker import ReaderPool

    inbox = _inbox(tmp_path)
    monkeypatch.setattr(run_module, "BATCH_SECONDS", 3600.0)
    monkeypatch.setattr(ReaderPool, "_answer_waiting", lambda self: answers_ready)
    monkeypatch.setattr(ReaderPool, "_answer_within", lambda self, seconds: answers_ready)
    commits = _count_commits(monkeypatch)
    report = run_import([str(inbox)], sandbox=True)
    assert report.counts["imported"] == len(TITLES)
    # Every answer late: each stored work is committed before the next wait. All in time: one batch.
    assert len(commits) == (len(TITLES) if not answers_ready else 1)


@pytest.mark.django_db(transaction=True)
def test_works_are_gathered_while_the_reader_answers_in_time_and_no_lock_is_held_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Waiting on the reader child with a batch not yet due, the import holds no transaction (a
    page's write never waits on a parse), and the works of the files read meanwhile join the same
    batch: one commit for all (with a commit before each wait, batches of one work cost the most)."""
    from fanarchive.archive.imports.worker import ReaderPool

    inbox = _inbox(tmp_path)
    monkeypatch.setattr(run_module, "BATCH_SECONDS", 3600.0)
    real_within = ReaderPool._answer_within
    in_transaction: list[bool] = []

    def answer_within(self: ReaderPool, seconds: float) -> bool:
        in_transaction.append(connection.in_atomic_block)
        return real_within(self, seconds)

    monkeypatch.setattr(ReaderPool, "_answer_within", answer_within)
    commits = _count_commits(monkeypatch)
    report = run_import([str(inbox)], sandbox=True)
    assert report.counts["imported"] == len(TITLES)
    assert in_transaction and not any(in_transaction)
    assert len(commits) == 1
    assert Work.objects.count() == Chapter.objects.count() == len(TITLES)


@pytest.mark.django_db(transaction=True)
def test_a_batch_is_stored_as_one_by_one_would_store_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In one batch: a second copy of a work (another file name, the same words) is found and not
    stored twice, two works by one byline share its account, an unchanged work stays unchanged."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    text = "<p>The ferry came in at dusk, and the gulls with it.</p>"

    def work(title: str, author: str, html: str = text) -> ParsedWork:
        return ParsedWork(title=title, authors=[author], chapters=[ParsedChapter(number=1, html=html)])

    (inbox / "1.json").write_text(works_to_json([work("Night Ferry", "wren")]))
    (inbox / "2.json").write_text(works_to_json([work("Night Ferry (copy)", "wren")]))
    (inbox / "3.json").write_text(works_to_json([work("Gull Season", "Wren", "<p>Gulls, all of them.</p>")]))
    monkeypatch.setattr(run_module, "BATCH_SECONDS", 3600.0)
    first = run_import([str(inbox)], sandbox=False)
    assert [w["status"] for o in first.outcomes for w in o.works] == ["imported", "updated", "imported"]
    assert Work.objects.count() == 2
    # "wren" and "Wren" are one user name lowered: the second takes the next free name, as before.
    assert sorted(User.objects.filter(imported=True).values_list("username", flat=True)) == [
        "Wren-imported",
        "wren",
    ]
    again = run_import([str(inbox)], sandbox=False)
    assert [w["status"] for o in again.outcomes for w in o.works] == ["updated", "updated", "unchanged"]


@pytest.mark.django_db(transaction=True)
def test_a_batch_files_its_works_under_synonyms_mergers_and_meta_tags(tmp_path: Path) -> None:
    """The filter tags a batch computes from the tags in hand are those refresh_filter_taggings
    computes from the rows: a synonym files the work under its canonical tag, and that under the
    meta tags above it, however many levels up."""
    from fanarchive.archive.actions.tags import (
        do_add_meta_tag,
        do_create_tag,
        do_merge_tag,
        refresh_filter_taggings,
    )
    from fanarchive.archive.models import FilterTagging
    from fanarchive.domain.tags import TagKind

    canonical = do_create_tag("Harbour Towns", TagKind.FREEFORM, canonical=True)
    do_merge_tag(do_create_tag("harbor towns", TagKind.FREEFORM), canonical)
    middle = do_create_tag("Coastal Places", TagKind.FREEFORM, canonical=True)
    top = do_create_tag("Places", TagKind.FREEFORM, canonical=True)
    do_add_meta_tag(middle, canonical)
    do_add_meta_tag(top, middle)
    inbox = _inbox(tmp_path)
    tagged = ParsedWork(
        title="Harbour Lights",
        authors=["author 9"],
        tags={"freeform": ["harbor towns", "Lamps"]},
        chapters=[ParsedChapter(number=1, html="<p>Lights along the harbour wall.</p>")],
    )
    (inbox / "9.json").write_text(works_to_json([tagged]))
    report = run_import([str(inbox)], sandbox=False)
    assert report.counts["imported"] == len(TITLES) + 1
    work = Work.objects.get(title="Harbour Lights")
    filed = dict(FilterTagging.objects.filter(work=work).values_list("tag__name", "inherited"))
    assert filed == {"Harbour Towns": False, "Lamps": False, "Coastal Places": True, "Places": True}
    assert refresh_filter_taggings(Work.objects.values_list("pk", flat=True)) == set()
