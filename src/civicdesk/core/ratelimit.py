"""Fixed-window counters in the Django cache, for every rate limit in the project.

Shared by every process when the cache is Redis; each process's own memory otherwise.
"""

from django.core.cache import cache


def window_count(key: str, *, timeout: int) -> int:
    """Add one to the counter at `key` (kept for `timeout` seconds) and return its new value."""
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:
        # The key expired between add and incr: this is the first count of a new window.
        cache.set(key, 1, timeout=timeout)
        return 1
