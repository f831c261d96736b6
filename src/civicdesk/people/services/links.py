"""One-time links sent by email: issued with a random token, stored as its keyed hash, used once.

The token itself is only ever in the email. It is not put in a background task either (the task
table would hold it in clear), which is why the portal sends these emails itself, at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from civicdesk.cases.models import Case
from civicdesk.people.choices import EmailLinkPurpose
from civicdesk.people.models import EmailLink
from civicdesk.people.services import email_normalize

TOKEN_BYTES = 32
# Long enough to hold any token_urlsafe(32); longer input is refused before hashing.
TOKEN_MAX_LENGTH = 64
# Used and expired links are kept this long (to tell "used" from "unknown"), then deleted.
KEEP_AFTER_EXPIRY = timedelta(days=1)
_HASH_SALT = "civicdesk.people.email-link"


class EmailLinkError(Exception):
    """The link cannot be used; `reason` is "invalid", "used" or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IssuedLink:
    """A stored link and its token, which goes into the email and nowhere else."""

    link: EmailLink
    token: str


def email_link_lifetime(purpose: EmailLinkPurpose) -> timedelta:
    if purpose == EmailLinkPurpose.SIGN_IN:
        return timedelta(minutes=float(settings.CIVICDESK_SIGN_IN_LINK_MINUTES))
    return timedelta(hours=float(settings.CIVICDESK_FOLLOW_LINK_HOURS))


def email_link_issue(
    *,
    purpose: EmailLinkPurpose,
    email: str,
    language: str,
    case: Case | None = None,
    next_path: str = "",
    now: datetime | None = None,
) -> IssuedLink:
    """Store a new one-time link for `email` and return it with its token.

    Raises ValidationError({"email": ...}) for an address that is not valid. Links that
    expired more than a day ago are deleted on the way.
    """
    now = now or timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = EmailLink(
        purpose=purpose,
        token_hash=_token_hash(token),
        email=email_normalize(email),
        language=language,
        case=case,
        next_path=next_path,
        created_at=now,
        expires_at=now + email_link_lifetime(purpose),
    )
    link.full_clean()
    with transaction.atomic():
        EmailLink.objects.filter(expires_at__lt=now - KEEP_AFTER_EXPIRY).delete()
        link.save()
    return IssuedLink(link=link, token=token)


def email_link_check(
    *, token: str, purpose: EmailLinkPurpose, now: datetime | None = None
) -> EmailLink:
    """The unused, unexpired link with this token, without using it; or EmailLinkError."""
    link = _find(token, purpose)
    _refuse_unusable(link, now or timezone.now())
    return link


def email_link_use(
    *, token: str, purpose: EmailLinkPurpose, now: datetime | None = None
) -> EmailLink:
    """Mark the link used and return it; EmailLinkError if it is unknown, used or expired.

    The conditional update makes "use once" hold under concurrency: of two requests with the
    same token, only one changes the row. Call it inside the transaction that acts on the link,
    so a failure after it leaves the link unused.
    """
    now = now or timezone.now()
    link = _find(token, purpose)
    changed = EmailLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now
    )
    if not changed:
        link.refresh_from_db()
        _refuse_unusable(link, now)
        raise EmailLinkError("used")  # pragma: no cover - refused above
    link.used_at = now
    return link


def _find(token: str, purpose: EmailLinkPurpose) -> EmailLink:
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_LENGTH:
        raise EmailLinkError("invalid")
    link = (
        EmailLink.objects.select_related("case")
        .filter(token_hash=_token_hash(token), purpose=purpose)
        .first()
    )
    if link is None:
        raise EmailLinkError("invalid")
    return link


def _refuse_unusable(link: EmailLink, now: datetime) -> None:
    if link.used_at is not None:
        raise EmailLinkError("used")
    if link.expires_at <= now:
        raise EmailLinkError("expired")


def _token_hash(token: str) -> str:
    return salted_hmac(_HASH_SALT, token, algorithm="sha256").hexdigest()
