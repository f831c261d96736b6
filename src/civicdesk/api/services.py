"""Writes owned by the API app: issuing, revoking and stamping personal API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from civicdesk.api.models import ApiToken

TOKEN_PREFIX = "cdk_"  # noqa: S105 - a public marker that makes leaked tokens greppable
PREFIX_LENGTH = 12
# Stamping `last_used_at` on every request would turn each read into a write; a minute's
# precision is enough to tell a live integration from a forgotten token.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret; the secret is shown once and never stored."""

    token: ApiToken
    secret: str


def api_token_hash(secret: str) -> str:
    """The stored form of a token secret."""
    return hashlib.sha256(secret.encode("utf-8", errors="surrogatepass")).hexdigest()


def api_token_create(*, user: User, name: str) -> IssuedToken:
    """Issue a personal token for an active staff user; raises ValidationError otherwise."""
    clean_name = name.strip()
    errors: dict[str, list[str]] = {}
    if not clean_name:
        errors["name"] = ["Give the token a name that says what it is for."]
    if not (user.is_active and user.is_staff):
        errors["user"] = ["Only active staff accounts can have API tokens."]
    if errors:
        raise ValidationError(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(
            user=user,
            name=clean_name,
            prefix=secret[:PREFIX_LENGTH],
            token_hash=api_token_hash(secret),
        )
        token.full_clean()
        token.save()
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once; revoking twice keeps the first revocation time."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
    token.revoked_at = locked.revoked_at
    return locked


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The active token with this secret, its user loaded and allowed to sign in, or None.

    Marks the token as used (at most once a minute).
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=api_token_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not (token.user.is_active and token.user.is_staff):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
