"""Orphaning (AO3's): the user's credit moves to orphan_account, the work stays, the index hears."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fanarchive.archive.actions.orphaning import ORPHAN_ACCOUNT, do_orphan_works
from fanarchive.archive.models import Creatorship, SearchOutbox, User, Work

pytestmark = pytest.mark.django_db


def _bylines(work: Work) -> list[tuple[str, str]]:
    return [
        (c.pseud.user.username, c.pseud.name)
        for c in Creatorship.objects.filter(work=work).select_related("pseud__user")
    ]


def test_orphaning_keeping_the_pseud_name(make_work: Callable[..., Work]) -> None:
    work = make_work(authors=("Ada Writes",))
    user = User.objects.get(pseuds__name="Ada Writes")
    SearchOutbox.objects.all().delete()

    assert do_orphan_works([work], user, keep_pseud=True) == [work.pk]

    assert _bylines(work) == [(ORPHAN_ACCOUNT, "Ada Writes")]
    assert Work.objects.filter(pk=work.pk).exists()
    assert not Creatorship.objects.filter(pseud__user=user).exists()
    assert list(SearchOutbox.objects.values_list("work_id", flat=True)) == [work.pk]
    orphan = User.objects.get(username=ORPHAN_ACCOUNT)
    assert not orphan.has_usable_password()


def test_orphaning_onto_the_orphan_pseud(make_work: Callable[..., Work]) -> None:
    work = make_work(authors=("Ada Writes",))
    other = make_work("Another", authors=("Ada Writes",))
    user = User.objects.get(pseuds__name="Ada Writes")

    do_orphan_works([work], user, keep_pseud=False)

    assert _bylines(work) == [(ORPHAN_ACCOUNT, ORPHAN_ACCOUNT)]
    # Only the works named were orphaned.
    assert _bylines(other) == [(user.username, "Ada Writes")]


def test_co_creators_keep_their_credit(make_work: Callable[..., Any]) -> None:
    work = make_work(authors=("Ada Writes", "Ben Draws"))
    ada = User.objects.get(pseuds__name="Ada Writes")

    do_orphan_works([work], ada, keep_pseud=False)

    assert sorted(_bylines(work)) == sorted([(ORPHAN_ACCOUNT, ORPHAN_ACCOUNT), ("Ben_Draws", "Ben Draws")])


def test_orphaning_twice_reuses_the_account(make_work: Callable[..., Work]) -> None:
    first = make_work(authors=("Ada Writes",))
    second = make_work("Second", authors=("Cy",))
    do_orphan_works([first], User.objects.get(pseuds__name="Ada Writes"), keep_pseud=True)
    do_orphan_works([second], User.objects.get(pseuds__name="Cy"), keep_pseud=True)

    assert User.objects.filter(username=ORPHAN_ACCOUNT).count() == 1
    assert sorted(User.objects.get(username=ORPHAN_ACCOUNT).pseuds.values_list("name", flat=True)) == [
        "Ada Writes",
        "Cy",
        ORPHAN_ACCOUNT,
    ]


def test_a_work_not_theirs_is_left_alone(make_work: Callable[..., Work]) -> None:
    work = make_work(authors=("Ada Writes",))
    stranger = User.objects.create(username="stranger")

    assert do_orphan_works([work], stranger, keep_pseud=True) == []
    assert _bylines(work) == [("Ada_Writes", "Ada Writes")]
