"""Limits on emailing links, per client IP and per address, with Django cache counters.

Fixed windows of CIVICDESK_EMAIL_LINK_LIMIT_WINDOW_SECONDS: cheap, shared by every process
when the cache is Redis, and good enough to stop one machine from flooding a mailbox or the
outbox. Addresses are hashed with the secret key before they become cache keys, so no address
sits in the cache.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from civicdesk.core.ratelimit import client_ip, window_count

_KEY = "portal:email-links:v1:{scope}:{bucket}:{subject}"


@dataclass(frozen=True)
class LimitHit:
    """Over a limit: which one ("ip" or "address"), and when the window ends."""

    scope: str
    retry_after_seconds: int

    @property
    def retry_after_minutes(self) -> int:
        return max(1, -(-self.retry_after_seconds // 60))


def email_link_limit_check(request: HttpRequest, *, email: str) -> LimitHit | None:
    """Count one emailed link for this client and address; a LimitHit when over either limit.

    The client's count goes up on every attempt, the address's only while the client is
    within its own limit, so one flooding machine cannot lock someone else's address out.
    """
    window = max(1, int(settings.CIVICDESK_EMAIL_LINK_LIMIT_WINDOW_SECONDS))
    now = time.time()
    bucket = int(now // window)
    retry_after = int(window - now % window) + 1
    if _count("ip", client_ip(request), bucket, window) > int(
        settings.CIVICDESK_EMAIL_LINK_LIMIT_PER_IP
    ):
        return LimitHit("ip", retry_after)
    address = salted_hmac("civicdesk.portal.email-link-limit", email).hexdigest()
    if _count("address", address, bucket, window) > int(
        settings.CIVICDESK_EMAIL_LINK_LIMIT_PER_ADDRESS
    ):
        return LimitHit("address", retry_after)
    return None


def _count(scope: str, subject: str, bucket: int, window: int) -> int:
    return window_count(
        _KEY.format(scope=scope, bucket=bucket, subject=subject), timeout=window + 60
    )
