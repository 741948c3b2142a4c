"""A user's pseuds (AO3's names to write under): create, rename and describe, choose the default,
delete. A pseud's name is on the bylines of its works, so renaming one, or deleting one (its works
move to the default pseud), queues those works for reindexing."""

from __future__ import annotations

from django.db import transaction

from fanarchive.archive.access import credited
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import Bookmark, Comment, Creatorship, Pseud, User

MAX_NAME = 150  # Pseud.name's column
RESERVED = "new"  # /users/<name>/pseuds/new is the form, not a pseud's page


def clean_pseud_name(name: str) -> str:
    """The name as stored: runs of white space made one space, none at the ends."""
    return " ".join(name.split())


def check_pseud_name(user: User, name: str, *, renaming: Pseud | None = None) -> str:
    """The cleaned name, or ActionError: not empty, at most 150 characters, with a letter or
    digit (a name of punctuation alone cannot be told apart on a byline), unique for the user
    whatever its case."""
    cleaned = clean_pseud_name(name)
    if not cleaned:
        raise ActionError("A pseud needs a name.")
    if len(cleaned) > MAX_NAME:
        raise ActionError(f"A pseud's name is at most {MAX_NAME} characters.")
    if not any(ch.isalnum() for ch in cleaned):
        raise ActionError("A pseud's name needs at least one letter or digit.")
    if cleaned == RESERVED:
        raise ActionError(f"“{RESERVED}” names the page for making a pseud: choose another name.")
    same = user.pseuds.filter(name__iexact=cleaned)
    if renaming is not None:
        same = same.exclude(pk=renaming.pk)
    if same.exists():
        raise ActionError(f"You already have a pseud named {cleaned}.")
    return cleaned


@transaction.atomic
def do_create_pseud(user: User, name: str, *, description: str = "", default: bool = False) -> Pseud:
    cleaned = check_pseud_name(user, name)
    # A user's first pseud is their default whatever they asked.
    first = not user.pseuds.exists()
    pseud = Pseud.objects.create(user=user, name=cleaned, description=description.strip())
    if default or first:
        do_set_default_pseud(pseud)
    return pseud


def _credited_work_ids(pseud: Pseud) -> list[int]:
    return list(pseud.creatorships.filter(credited()).values_list("work_id", flat=True))


@transaction.atomic
def do_rename_pseud(pseud: Pseud, name: str, *, description: str | None = None) -> None:
    """Rename `pseud` (and, when given, replace its description)."""
    cleaned = check_pseud_name(pseud.user, name, renaming=pseud)
    renamed = cleaned != pseud.name
    pseud.name = cleaned
    if description is not None:
        pseud.description = description.strip()
    pseud.save(update_fields=["name", "description"])
    if renamed:
        # The new name is on these works' bylines and in their search documents.
        enqueue_reindex(_credited_work_ids(pseud))


@transaction.atomic
def do_set_default_pseud(pseud: Pseud) -> None:
    """Make `pseud` its user's default: the one new works and moved works go to."""
    pseud.user.pseuds.exclude(pk=pseud.pk).filter(is_default=True).update(is_default=False)
    if not pseud.is_default:
        pseud.is_default = True
        pseud.save(update_fields=["is_default"])


def check_delete_pseud(pseud: Pseud) -> Pseud:
    """The default pseud that takes the deleted one's works, or ActionError."""
    if pseud.is_default:
        raise ActionError("Your default pseud cannot be deleted: make another one the default first.")
    default = pseud.user.default_pseud()
    if default is None:
        raise ActionError("Choose a default pseud first: the works of this one move to it.")
    return default


@transaction.atomic
def do_delete_pseud(pseud: Pseud) -> Pseud:
    """Delete `pseud`; its works, bookmarks and comments move to the user's default pseud, which
    is returned. A work both pseuds are on keeps one credit, accepted if either was."""
    default = check_delete_pseud(pseud)
    changed = set(_credited_work_ids(pseud))
    for creatorship in list(pseud.creatorships.all()):
        other = Creatorship.objects.filter(work_id=creatorship.work_id, pseud=default).first()
        if other is None:
            creatorship.pseud = default
            creatorship.save(update_fields=["pseud"])
        else:
            if creatorship.accepted and not other.accepted:
                other.accepted = True
                other.save(update_fields=["accepted"])
            creatorship.delete()
    bookmarked = set(Bookmark.objects.filter(pseud=default).values_list("work_id", flat=True))
    Bookmark.objects.filter(pseud=pseud).exclude(work_id__in=bookmarked).update(pseud=default)
    Comment.objects.filter(pseud=pseud).update(pseud=default)
    pseud.delete()
    enqueue_reindex(changed)
    return default
