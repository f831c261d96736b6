"""Following a request: a signed-in resident in one step, anyone else by confirming by email.

Follows are recorded and confirmed here; sending the status updates they ask for belongs to
the notify app, which reads active follows (`ended_at` unset) and their channel.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from civicdesk.cases.models import Case
from civicdesk.people.choices import EmailLinkPurpose, UpdateChannel
from civicdesk.people.models import CaseFollow, Resident
from civicdesk.people.services.accounts import resident_from_email_link
from civicdesk.people.services.links import (
    EmailLinkError,
    IssuedLink,
    email_link_issue,
    email_link_use,
)

UNSUBSCRIBE_TOKEN_BYTES = 32


def case_follow_start(
    *,
    resident: Resident,
    case: Case,
    channel: UpdateChannel | None = None,
    now: datetime | None = None,
) -> tuple[CaseFollow, bool]:
    """Follow `case` for a resident whose address is known to be theirs; (follow, started).

    `channel` defaults to the resident's preferred one. Following again is harmless: an active
    follow is returned unchanged (started is False); an ended one starts again.
    """
    now = now or timezone.now()
    channel = UpdateChannel(channel or resident.preferred_channel)
    for attempt in range(2):
        try:
            with transaction.atomic():
                follow = (
                    CaseFollow.objects.select_for_update()
                    .filter(resident=resident, case=case)
                    .first()
                )
                if follow is None:
                    follow = CaseFollow(
                        resident=resident,
                        case=case,
                        channel=channel,
                        confirmed_at=now,
                        unsubscribe_token=secrets.token_urlsafe(UNSUBSCRIBE_TOKEN_BYTES),
                    )
                    follow.full_clean(validate_constraints=False)
                    follow.save()
                    return follow, True
                if follow.ended_at is None:
                    return follow, False
                follow.ended_at = None
                follow.confirmed_at = now
                follow.channel = channel
                follow.save(update_fields=["ended_at", "confirmed_at", "channel"])
                return follow, True
        except IntegrityError:
            # A concurrent click made the row between our read and our insert: read it again.
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def case_follow_request(
    *, email: str, case: Case, language: str, now: datetime | None = None
) -> IssuedLink:
    """A confirmation link for someone who is not signed in (double opt-in).

    Nothing about the person is stored until they use the link. Raises ValidationError for a
    bad address.
    """
    return email_link_issue(
        purpose=EmailLinkPurpose.FOLLOW, email=email, language=language, case=case, now=now
    )


def case_follow_confirm(*, token: str, now: datetime | None = None) -> CaseFollow:
    """Use a follow confirmation link: verify the address and start following by email.

    Raises EmailLinkError for an unknown, used or expired link.
    """
    now = now or timezone.now()
    with transaction.atomic():
        link = email_link_use(token=token, purpose=EmailLinkPurpose.FOLLOW, now=now)
        if link.case is None:  # pragma: no cover - issued with a case; deleted cases cascade
            raise EmailLinkError("invalid")
        resident = resident_from_email_link(link, now=now)
        follow, _started = case_follow_start(
            resident=resident, case=link.case, channel=UpdateChannel.EMAIL, now=now
        )
    return follow


def case_follow_end(*, follow: CaseFollow, now: datetime | None = None) -> bool:
    """Stop following; False if it had already stopped."""
    changed = CaseFollow.objects.filter(pk=follow.pk, ended_at__isnull=True).update(
        ended_at=now or timezone.now()
    )
    follow.refresh_from_db(fields=["ended_at"])
    return bool(changed)
