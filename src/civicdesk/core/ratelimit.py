"""Fixed-window counters in the Django cache, for every rate limit in the project.

Shared by every process when the cache is Redis; each process's own memory otherwise.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def window_count(key: str, *, timeout: int) -> int:
    """Add one to the counter at `key` (kept for `timeout` seconds) and return its new value."""
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:
        # The key expired between add and incr: this is the first count of a new window.
        cache.set(key, 1, timeout=timeout)
        return 1


def client_ip(request: HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or the one CIVICDESK_TRUSTED_PROXY_COUNT proxies saw.

    Each trusted proxy appends what it received to X-Forwarded-For, so the client is the entry
    that many places from the right; anything further left could be forged by the client.
    """
    proxies = int(getattr(settings, "CIVICDESK_TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def client_over_minute_limit(request: HttpRequest, *, scope: str, allowed: int) -> bool:
    """Count one call by this client in the current minute under `scope`; True once the count
    passes `allowed`. `allowed` of 0 or less means no limit (and nothing is counted)."""
    if allowed <= 0:
        return False
    key = f"{scope}:{client_ip(request)}:{int(time.time() // 60)}"
    return window_count(key, timeout=120) > allowed
