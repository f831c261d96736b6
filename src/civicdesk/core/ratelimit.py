"""Fixed-window counters in the Django cache, for every rate limit in the project.

Shared by every process when the cache is Redis; each process's own memory otherwise.
"""

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
