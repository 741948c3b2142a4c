"""Claims on imported works (AO3's Open Doors): the author of an imported account's works asks for
them while logged in; a link goes to the address the source held for that account, or, without one,
staff decide. Either way every creatorship of the imported account moves to the claimant, under
pseuds of the same names."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import Claim, Creatorship, User
from fanarchive.archive.site_origin import absolute_url

CLAIM_LINK_DAYS = 14
# Links waiting at once for one imported account: each request e-mails a stranger's address.
MAX_OPEN_LINKS = 3


@dataclass(frozen=True)
class ClaimRequest:
    claim: Claim
    emailed: bool  # False: staff decide


def token_hash(token: str) -> str:
    """Keyed, so the stored value is no usable link."""
    return hmac.new(settings.SECRET_KEY.encode(), f"claim|{token}".encode(), hashlib.sha256).hexdigest()


def _expired(claim: Claim) -> bool:
    return claim.created_at < timezone.now() - dt.timedelta(days=CLAIM_LINK_DAYS)


def _open_links(imported: User) -> list[Claim]:
    since = timezone.now() - dt.timedelta(days=CLAIM_LINK_DAYS)
    return list(Claim.objects.filter(imported=imported, state="sent", created_at__gte=since))


def check_claimable(imported: User) -> None:
    if not imported.imported:
        raise ActionError(f"{imported.username} is an archive member's account, not an imported one.")
    if Claim.objects.filter(imported=imported, state="claimed").exists():
        raise ActionError(f"The works of {imported.username} have already been claimed.")


def check_request_claim(imported: User, claimant: User) -> None:
    check_claimable(imported)
    if claimant.imported or not claimant.is_active or claimant.pk == imported.pk:
        raise ActionError("Only a member's own account can claim works.")
    waiting = Claim.objects.filter(imported=imported, claimant=claimant, state="pending").exists()
    links = _open_links(imported)
    if waiting or any(claim.claimant_id == claimant.pk for claim in links):
        raise ActionError(
            f"You have already asked for the works of {imported.username}: follow the link in the "
            f"e-mail (it works for {CLAIM_LINK_DAYS} days), or wait for staff."
        )
    if len(links) >= MAX_OPEN_LINKS:
        raise ActionError(f"Too many claim links for {imported.username} are waiting; try again later.")


def do_request_claim(imported: User, claimant: User, message: str = "") -> ClaimRequest:
    """A claim by the logged-in `claimant`: e-mailed to the imported account's address when it has
    one (sent once the claim is stored), otherwise left for staff."""
    check_request_claim(imported, claimant)
    token = secrets.token_urlsafe(32)
    email = imported.source_email.strip()
    with transaction.atomic():
        claim = Claim.objects.create(
            imported=imported,
            claimant=claimant,
            email=email,
            token_hash=token_hash(token) if email else "",
            state="sent" if email else "pending",
            message=message.strip()[:5000],
        )
    if email:
        link = absolute_url(reverse("claim_confirm", args=[token]))
        send_mail(
            f"[{settings.SITE_NAME}] Claim the works of {imported.username}",
            f"{claimant.username} asked to claim the works archived here under {imported.username}, "
            f"whose author this address belonged to.\n\nIf that is you, log in as {claimant.username} "
            f"and open this link within {CLAIM_LINK_DAYS} days:\n\n{link}\n\n"
            "If it is not you, ignore this message: nothing moves without the link.\n",
            None,
            [email],
        )
    return ClaimRequest(claim, emailed=bool(email))


def find_claim(token: str) -> Claim:
    claim = (
        Claim.objects.filter(token_hash=token_hash(token)).select_related("imported").first()
        if token
        else None
    )
    if claim is None:
        raise ActionError("This claim link is not valid.")
    return claim


def check_confirm_claim(claim: Claim, user: User) -> None:
    if claim.state == "claimed":
        raise ActionError("This claim link has already been used.")
    if claim.state != "sent":
        raise ActionError("This claim link is not valid.")
    if claim.claimant_id != user.pk:
        raise ActionError(
            "This claim link was sent for another account's claim: log in as the account that asked."
        )
    if _expired(claim):
        raise ActionError(f"This claim link has expired (links work for {CLAIM_LINK_DAYS} days): ask again.")
    check_claimable(claim.imported)


def do_confirm_claim(token: str, user: User) -> Claim:
    """Following the e-mailed link, logged in as the account that asked: the works move to it."""
    with transaction.atomic():
        claim = _locked(find_claim(token).pk)
        check_confirm_claim(claim, user)
        _complete(claim, user)
    return claim


def _locked(claim_id: int) -> Claim:
    """The claim, locked, and its imported account too: two claims on one account decided at once
    take turns, so only one of them moves the works."""
    claim = (
        Claim.objects.select_for_update(of=("self",)).select_related("imported", "claimant").get(pk=claim_id)
    )
    claim.imported = User.objects.select_for_update().get(pk=claim.imported_id)
    return claim


def check_decide_claim(claim: Claim) -> None:
    if claim.state not in ("pending", "sent") or claim.claimant is None:
        raise ActionError("Only a claim that is waiting can be approved or refused.")
    check_claimable(claim.imported)


def do_approve_claim(claim: Claim) -> Claim:
    """Staff's yes (for a claim with no address to send a link to, or one they vouch for)."""
    with transaction.atomic():
        claim = _locked(claim.pk)
        check_decide_claim(claim)
        assert claim.claimant is not None
        _complete(claim, claim.claimant)
    return claim


def do_refuse_claim(claim: Claim) -> Claim:
    with transaction.atomic():
        claim = _locked(claim.pk)
        if claim.state not in ("pending", "sent"):
            raise ActionError("Only a claim that is waiting can be approved or refused.")
        claim.state, claim.decided_at, claim.token_hash = "refused", timezone.now(), ""
        claim.save(update_fields=["state", "decided_at", "token_hash"])
    return claim


def _complete(claim: Claim, claimant: User) -> None:
    """Every creatorship of the imported account's pseuds becomes the claimant's pseud of that name."""
    do_ensure_default_pseud(claimant)
    work_ids: set[int] = set()
    for pseud in claim.imported.pseuds.all():
        target, _created = claimant.pseuds.get_or_create(name=pseud.name)
        for creatorship in Creatorship.objects.filter(pseud=pseud):
            work_ids.add(creatorship.work_id)
            if Creatorship.objects.filter(pseud=target, work_id=creatorship.work_id).exists():
                creatorship.delete()  # the claimant was already credited there under that name
            else:
                creatorship.pseud = target
                creatorship.save(update_fields=["pseud"])
    # The link's hash stays, so that following it again says it was used rather than unknown.
    claim.state, claim.decided_at = "claimed", timezone.now()
    claim.save(update_fields=["state", "decided_at"])
    # The claim keeps the old address on record; the account lets go of it, so that its author can
    # add it to their own account (addresses are unique among accounts).
    claim.imported.source_email = ""
    claim.imported.save(update_fields=["source_email"])
    # Other waiting claims on the account can never succeed now.
    Claim.objects.filter(imported=claim.imported, state__in=["pending", "sent"]).exclude(pk=claim.pk).update(
        state="refused", decided_at=claim.decided_at, token_hash=""
    )
    enqueue_reindex(sorted(work_ids))
