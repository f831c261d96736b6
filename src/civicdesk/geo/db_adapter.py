"""The one place where address search knows which database it runs on.

Address search asks for stored keys that start with a typed prefix. Every database returns the
same rows for the portable `startswith` lookup; what differs is whether an index can answer it:

- PostgreSQL: `startswith` is `LIKE 'prefix%'`, which the `varchar_pattern_ops` index that
  Django adds beside every indexed CharField (`..._like`) answers, under any collation.
- SQLite: `LIKE` is case-insensitive, so a plain (BINARY) index cannot answer it and the table
  is scanned. The stored keys are already case-folded, so the half-open range
  `[prefix, prefix + U+10FFFF)` holds exactly the same rows and the index does answer that.

So the condition is `startswith` everywhere, plus that equivalent range where it helps the
planner. Results are identical; only the plan differs.
"""

from django.db import connection
from django.db.models import Q

# Above every character, so `prefix + _AFTER_EVERYTHING` bounds all strings that start with it.
_AFTER_EVERYTHING = "\U0010ffff"


def prefix_condition(field: str, prefix: str) -> Q:
    """Rows whose `field` starts with `prefix` (already canonical, lower case), index-friendly."""
    condition = Q(**{f"{field}__startswith": prefix})
    if prefix and connection.vendor == "sqlite":
        condition &= Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + _AFTER_EVERYTHING})
    return condition
