"""Public reference numbers: `YY-NNNNNN`, short enough to read out on the phone."""

from datetime import datetime

from django.db import transaction
from django.db.models import F

from civicdesk.cases.models import ReferenceSequence


def reference_next(*, at: datetime) -> str:
    """Take the next number of the year of `at`; must run inside the caller's transaction."""
    prefix = f"{at:%y}-"
    sequences = ReferenceSequence.objects.filter(prefix=prefix)
    with transaction.atomic():
        # The UPDATE takes the row lock first, so concurrent callers queue instead of reading
        # the same value; only the first case of a year has to create the row.
        if not sequences.update(last_value=F("last_value") + 1):
            ReferenceSequence.objects.get_or_create(prefix=prefix)
            sequences.update(last_value=F("last_value") + 1)
        last_value = sequences.values_list("last_value", flat=True).get()
    return f"{prefix}{last_value:06d}"
