"""Public reference numbers: `YY-NNNNNN`, short enough to read out on the phone."""

from datetime import datetime

from django.db import transaction
from django.db.models import F

from civicdesk.cases.models import ReferenceSequence


def reference_next(*, at: datetime) -> str:
    """Take the next number of the year of `at`; must run inside the caller's transaction."""
    prefix = f"{at:%y}-"
    with transaction.atomic():
        sequence, _ = ReferenceSequence.objects.get_or_create(prefix=prefix)
        ReferenceSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + 1)
        sequence.refresh_from_db(fields=["last_value"])
    return f"{prefix}{sequence.last_value:06d}"
