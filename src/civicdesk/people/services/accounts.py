"""Resident accounts: sign in with a one-time link sent to the resident's email.

There is no password and no Django `User`: using a sign-in link proves the resident reads that
mailbox, so it verifies the address, finds or creates the resident who owns it, and opens (or
reopens) their account. The portal then keeps the resident's id in the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from civicdesk.people.choices import ContactPointKind, EmailLinkPurpose
from civicdesk.people.models import ContactPoint, EmailLink, Resident, ResidentAccount
from civicdesk.people.services import resident_from_contact_details
from civicdesk.people.services.links import EmailLinkError, email_link_use


class AccountClosedError(Exception):
    """Staff closed this resident's account; it cannot be signed in to."""


@dataclass(frozen=True)
class SignIn:
    resident: Resident
    account: ResidentAccount
    link: EmailLink
    created: bool


def resident_sign_in(*, token: str, now: datetime | None = None) -> SignIn:
    """Use a sign-in link: verify its address and return the resident's (new or old) account.

    Raises EmailLinkError for an unknown, used or expired link and AccountClosedError for an
    account staff closed; in both cases nothing changes. A new account takes the language the
    resident asked for the link in.
    """
    now = now or timezone.now()
    with transaction.atomic():
        link = email_link_use(token=token, purpose=EmailLinkPurpose.SIGN_IN, now=now)
        resident = resident_from_email_link(link, now=now)
        account, created = ResidentAccount.objects.select_for_update().get_or_create(
            resident=resident
        )
        if not account.is_active:
            raise AccountClosedError
        if created and resident.preferred_language != link.language:
            resident.preferred_language = link.language
            resident.full_clean()
            resident.save(update_fields=["preferred_language", "updated_at"])
        account.last_signed_in_at = now
        account.save(update_fields=["last_signed_in_at"])
    return SignIn(resident=resident, account=account, link=link, created=created)


def resident_from_email_link(link: EmailLink, *, now: datetime) -> Resident:
    """The resident who owns the link's address (created if new), with the address verified."""
    resident = resident_from_contact_details(email=link.email, language=link.language)
    if resident is None:  # pragma: no cover - an email always makes a resident
        raise EmailLinkError("invalid")
    contact_point_verify(kind=ContactPointKind.EMAIL, value=link.email, now=now)
    return resident


def contact_point_verify(
    *, kind: ContactPointKind, value: str, now: datetime | None = None
) -> bool:
    """Record that the resident proved they receive messages there; True if it was not yet."""
    return bool(
        ContactPoint.objects.filter(kind=kind, value=value, verified_at__isnull=True).update(
            verified_at=now or timezone.now()
        )
    )
