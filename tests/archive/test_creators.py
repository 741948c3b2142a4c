from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import fanarchive
from fanarchive.archive.access import owned_works
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.creators import (
    do_accept_creatorship,
    do_decline_creatorship,
    do_invite_cocreator,
    do_remove_creator,
)
from fanarchive.archive.models import Creatorship, SearchOutbox, User, Work

pytestmark = pytest.mark.django_db


def _author_and_guest(make_work: Callable[..., Work]) -> tuple[Work, User, User]:
    work = make_work("Shared", authors=("alice",))
    alice = User.objects.get(username="alice")
    bea = User.objects.create_user("bea", password="x")
    do_ensure_default_pseud(bea)
    SearchOutbox.objects.all().delete()
    return work, alice, bea


def test_an_invitation_credits_nobody_until_accepted(make_work: Callable[..., Work]) -> None:
    work, alice, bea = _author_and_guest(make_work)
    pseud = bea.default_pseud()
    assert pseud is not None
    invitation = do_invite_cocreator(work, pseud, invited_by=alice)
    assert invitation.accepted is False
    assert not owned_works(bea).filter(pk=work.pk).exists()
    # Nothing a reader sees changed.
    assert not SearchOutbox.objects.exists()
    do_accept_creatorship(invitation, bea)
    assert owned_works(bea).filter(pk=work.pk).exists()
    assert list(SearchOutbox.objects.values_list("work_id", flat=True)) == [work.pk]
    assert list(work.creatorships.values_list("pseud__name", flat=True)) == ["alice", "bea"]


def test_invitations_are_refused_for_someone_already_credited_or_from_a_stranger(
    make_work: Callable[..., Work],
) -> None:
    work, alice, bea = _author_and_guest(make_work)
    pseud = bea.default_pseud()
    assert pseud is not None
    with pytest.raises(ActionError, match="Only a creator"):
        do_invite_cocreator(work, pseud, invited_by=bea)
    alice_pseud = alice.default_pseud()
    assert alice_pseud is not None
    with pytest.raises(ActionError, match="already"):
        do_invite_cocreator(work, alice_pseud, invited_by=alice)
    do_invite_cocreator(work, pseud, invited_by=alice)
    with pytest.raises(ActionError, match="already"):
        do_invite_cocreator(work, pseud, invited_by=alice)
    other = bea.pseuds.create(name="Bea Writes")
    with pytest.raises(ActionError, match="another pseud"):
        do_invite_cocreator(work, other, invited_by=alice)


def test_only_the_invited_user_answers_and_declining_deletes_the_row(
    make_work: Callable[..., Work],
) -> None:
    work, alice, bea = _author_and_guest(make_work)
    pseud = bea.default_pseud()
    assert pseud is not None
    invitation = do_invite_cocreator(work, pseud, invited_by=alice)
    with pytest.raises(ActionError, match="not yours"):
        do_accept_creatorship(invitation, alice)
    with pytest.raises(ActionError, match="not yours"):
        do_decline_creatorship(invitation, alice)
    do_decline_creatorship(invitation, bea)
    assert not Creatorship.objects.filter(pk=invitation.pk).exists()
    assert not SearchOutbox.objects.exists()


def test_a_work_keeps_one_accepted_creator(make_work: Callable[..., Work]) -> None:
    work, alice, bea = _author_and_guest(make_work)
    alice_pseud, bea_pseud = alice.default_pseud(), bea.default_pseud()
    assert alice_pseud is not None and bea_pseud is not None
    invitation = do_invite_cocreator(work, bea_pseud, invited_by=alice)
    # A pending co-creator does not count as the creator that stays.
    with pytest.raises(ActionError, match="at least one creator"):
        do_remove_creator(work, alice_pseud, alice)
    with pytest.raises(ActionError, match="Only a creator"):
        do_remove_creator(work, alice_pseud, bea)
    do_accept_creatorship(invitation, bea)
    SearchOutbox.objects.all().delete()
    do_remove_creator(work, alice_pseud, bea)
    assert list(work.creatorships.values_list("pseud__name", flat=True)) == ["bea"]
    assert list(SearchOutbox.objects.values_list("work_id", flat=True)) == [work.pk]
    with pytest.raises(ActionError, match="at least one creator"):
        do_remove_creator(work, bea_pseud, bea)


# Modules outside access.py, actions/, models/ and migrations/ that name creatorships, and why that
# is not a reader-facing credit (which must go through access.credited and its helpers).
CREATORSHIP_READS_ALLOWED = {
    "archive/web/views/posting.py": "a creator's own edit page lists the invitations still pending",
    "archive/web/forms/work.py": "the poster's own pseuds on the work, preselected in the edit form",
}
_CREATORSHIPS = re.compile(r"(?<!credited_)creatorships|\bCreatorship\b")


def test_credits_are_read_through_access_only() -> None:
    """A pending co-creator is named nowhere until they accept: every page, feed, export and search
    document reads credits through access.credited / credited_creatorships / crediting."""
    root = Path(fanarchive.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative == "archive/access.py" or relative.startswith(
            ("archive/actions/", "archive/models/", "archive/migrations/")
        ):
            continue
        if relative in CREATORSHIP_READS_ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _CREATORSHIPS.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "read credits through access.py:\n" + "\n".join(offenders)


def test_orphaning_drops_an_unanswered_invitation(make_work: Callable[..., Work]) -> None:
    from fanarchive.archive.actions.orphaning import ORPHAN_ACCOUNT, do_orphan_works

    work, alice, bea = _author_and_guest(make_work)
    pseud = bea.default_pseud()
    assert pseud is not None
    invitation = do_invite_cocreator(work, pseud, invited_by=alice)
    assert do_orphan_works([work], bea, keep_pseud=True) == []
    assert not Creatorship.objects.filter(pk=invitation.pk).exists()
    assert not work.creatorships.filter(pseud__user__username=ORPHAN_ACCOUNT).exists()
    assert not SearchOutbox.objects.exists()
