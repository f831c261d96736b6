"""Public reference numbers: `YY-NNNNNN`, short enough to read out on the phone."""

from datetime import datetime

from django.db import connection, transaction
from django.db.models import F

from civicdesk.cases.models import ReferenceSequence

# Both supported databases can increment and read back in one statement (SQLite since 3.35).
RETURNING_VENDORS = frozenset({"postgresql", "sqlite"})


def reference_next(*, at: datetime) -> str:
    """Take the next number of the year of `at`, inside the caller's transaction if any."""
    prefix = f"{at:%y}-"
    # No savepoint: a failure here fails the caller's whole write anyway, and savepoints cost
    # two round trips on every case opened.
    with transaction.atomic(savepoint=False):
        last_value = _increment(prefix)
        if last_value is None:
            ReferenceSequence.objects.get_or_create(prefix=prefix)
            last_value = _increment(prefix)
    if last_value is None:
        raise RuntimeError(f"The reference counter {prefix!r} vanished inside a transaction.")
    return f"{prefix}{last_value:06d}"


def _increment(prefix: str) -> int | None:
    """Add one to the counter and return it; None when the year has no counter yet.

    The UPDATE takes the row lock first, so concurrent callers queue instead of reading the same
    value.
    """
    if connection.vendor in RETURNING_VENDORS:
        table = connection.ops.quote_name(ReferenceSequence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last_value = last_value + 1 "  # noqa: S608 - quoted name
                "WHERE prefix = %s RETURNING last_value",
                [prefix],
            )
            row = cursor.fetchone()
        return int(row[0]) if row else None
    sequences = ReferenceSequence.objects.filter(prefix=prefix)
    if not sequences.update(last_value=F("last_value") + 1):
        return None
    return sequences.values_list("last_value", flat=True).get()
