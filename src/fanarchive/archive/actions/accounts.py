"""Accounts: user names, deletion, roles, invitations and the first staff account. allauth writes its
own tables (addresses, confirmations, authenticators); these are the writes that are ours."""

from __future__ import annotations

import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from fanarchive.archive.accounts.roles import GROUP_PERMISSIONS, ROLE_GROUPS, ROLES
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.bookmarks import do_delete_bookmarks_of
from fanarchive.archive.actions.orphaning import do_orphan_works
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.actions.works import do_delete_work
from fanarchive.archive.models import Creatorship, Invitation, User, Work


def _work_ids_of(user: User) -> list[int]:
    return sorted(set(Creatorship.objects.filter(pseud__user=user).values_list("work_id", flat=True)))


def check_username_available(username: str, *, for_user: User | None = None) -> str:
    taken = User.objects.filter(username__iexact=username)
    if for_user is not None:
        taken = taken.exclude(pk=for_user.pk)
    if taken.exists():
        raise ActionError("That user name is taken.")
    return username


@transaction.atomic
def do_change_username(user: User, new_username: str) -> None:
    """Rename the account. The default pseud follows when it bore the old name (a pseud chosen
    otherwise is the author's own choice); works are reindexed, their bylines being searchable."""
    check_username_available(new_username, for_user=user)
    old_username = user.username
    user.username = new_username
    user.save(update_fields=["username"])
    default = user.default_pseud()
    if (
        default is not None
        and default.name == old_username
        and not user.pseuds.filter(name=new_username).exclude(pk=default.pk).exists()
    ):
        default.name = new_username
        default.save(update_fields=["name"])
    enqueue_reindex(_work_ids_of(user))


@transaction.atomic
def do_delete_account(user: User, *, orphan_works: bool, keep_pseud: bool = False) -> None:
    """Delete the account. Its works are orphaned (AO3's choice, `orphan_works`) or deleted; a work
    with another accepted creator loses only this user's credit either way it is not orphaned."""
    works = list(Work.objects.filter(pk__in=_work_ids_of(user)))
    if orphan_works:
        do_orphan_works(works, user, keep_pseud=keep_pseud)
    else:
        for work in works:
            shared = work.creatorships.filter(accepted=True).exclude(pseud__user=user).exists()
            if shared:
                work.creatorships.filter(pseud__user=user).delete()
                enqueue_reindex([work.pk])
            else:
                do_delete_work(work)
    # Their bookmarks would go with their pseuds, leaving the works' counts behind. Their kudos
    # stay, as a guest's (Kudos.user is set null, as AO3 keeps them): no count changes.
    do_delete_bookmarks_of(user)
    user.delete()


@transaction.atomic
def do_ensure_roles() -> dict[str, Group]:
    """The role groups with exactly their permissions (run after every migrate)."""
    groups = {}
    for name, codes in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted += list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
        groups[name] = group
    return groups


@transaction.atomic
def do_set_role(user: User, role: str, *, granted: bool) -> None:
    """Grant or take away a role: wrangler and archivist are groups, staff is the admin flag."""
    if role not in ROLES:
        raise ActionError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    if role == "staff":
        user.is_staff = granted
        user.save(update_fields=["is_staff"])
        return
    group = do_ensure_roles()[ROLE_GROUPS[role]]
    if granted:
        user.groups.add(group)
    else:
        user.groups.remove(group)


@transaction.atomic
def do_create_staff_account(username: str, email: str, password: str) -> User:
    """The first staff account: a superuser with a default pseud and an address already confirmed
    (there is nobody yet to have sent the confirmation)."""
    check_username_available(username)
    user = User.objects.create_superuser(username=username, email=email, password=password)
    do_ensure_default_pseud(user)
    if email:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@transaction.atomic
def do_request_invitation(email: str) -> Invitation:
    """Join the invitation queue; asking twice keeps the first place in it."""
    waiting = (
        Invitation.objects.filter(email__iexact=email, used_at__isnull=True).order_by("created_at").first()
    )
    if waiting is not None:
        return waiting
    return Invitation.objects.create(email=email, token=secrets.token_urlsafe(32), requested=True)


@transaction.atomic
def do_issue_invitation(email: str) -> Invitation:
    """An invitation staff make for an address (not through the queue)."""
    return Invitation.objects.create(email=email, token=secrets.token_urlsafe(32))


@transaction.atomic
def do_mark_invitation_sent(invitation: Invitation) -> None:
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])


def check_invitation(token: str) -> Invitation:
    """The invitation a link carries, when it has been sent and not used yet."""
    invitation = Invitation.objects.filter(token=token, sent_at__isnull=False, used_at__isnull=True).first()
    if invitation is None or not token:
        raise ActionError("This invitation is not valid (it may have been used already).")
    return invitation


@transaction.atomic
def do_use_invitation(token: str, user: User) -> Invitation:
    # Locked, so two sign-ups racing on one link cannot both use it.
    invitation = Invitation.objects.select_for_update().filter(pk=check_invitation(token).pk).get()
    if invitation.used_at is not None:
        raise ActionError("This invitation is not valid (it may have been used already).")
    invitation.used_by, invitation.used_at = user, timezone.now()
    invitation.save(update_fields=["used_by", "used_at"])
    return invitation
