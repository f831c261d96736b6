"""SLA compliance: how many requests due in a period met their target, per group.

Two queries whatever the number of cases: one grouped count, and one list of closing times for
the medians (percentiles are computed here, the same way on every database).
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.db.models import Count, F, Q
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.models import Case
from civicdesk.catalog.models import Department

ComplianceGroup = Literal["department", "service_type", "district", "provider"]

_GROUP_FIELDS: dict[str, tuple[str, str]] = {
    "department": ("department_id", "department__name"),
    "service_type": ("service_type_id", "service_type__name"),
    "district": ("district_id", "district__name"),
    "provider": ("provider_id", "provider__name"),
}


@dataclass(frozen=True)
class ComplianceRow:
    """One group's SLA results for the requests due in the period.

    `compliance_rate` is met / (met + missed): requests still open and not yet due (or paused
    while waiting on the resident) have no outcome yet and are left out. Times to close are
    wall-clock hours from the request to its closing; p90 is the nearest-rank 90th percentile.
    """

    key: int | None
    label: str
    due: int
    met: int
    missed: int
    open_not_yet_due: int
    compliance_rate: float | None
    median_hours_to_close: float | None
    p90_hours_to_close: float | None


def _nearest_rank(ordered: list[float], share: float) -> float:
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def sla_compliance(
    *,
    start: datetime,
    end: datetime,
    by: ComplianceGroup,
    as_of: datetime | None = None,
    department: Department | None = None,
) -> list[ComplianceRow]:
    """Per group, the requests whose SLA due time falls in [start, end), and how they did.

    Met: closed by the due time. Missed: closed after it, or still open (and running) past it
    at `as_of` (default now). Requests without an SLA target are not counted.
    """
    if by not in _GROUP_FIELDS:
        raise ValueError(f"Group by one of {', '.join(_GROUP_FIELDS)}, not {by!r}.")
    key_field, label_field = _GROUP_FIELDS[by]
    as_of = as_of or timezone.now()
    cases = Case.objects.filter(sla_due_at__gte=start, sla_due_at__lt=end)
    if department is not None:
        cases = cases.filter(department=department)
    closed = Q(status=CaseStatus.CLOSED)
    running = ~closed & Q(sla_paused_at__isnull=True)
    counts = (
        cases.values(key_field, label_field)
        .annotate(
            due=Count("pk"),
            met=Count("pk", filter=closed & Q(closed_at__lte=F("sla_due_at"))),
            missed=Count(
                "pk",
                filter=(closed & Q(closed_at__gt=F("sla_due_at")))
                | (running & Q(sla_due_at__lt=as_of)),
            ),
            open_not_yet_due=Count(
                "pk", filter=~closed & (Q(sla_due_at__gte=as_of) | Q(sla_paused_at__isnull=False))
            ),
        )
        .order_by()
    )
    hours: dict[int | None, list[float]] = defaultdict(list)
    for key, requested_at, closed_at in cases.filter(closed, closed_at__isnull=False).values_list(
        key_field, "requested_at", "closed_at"
    ):
        hours[key].append((closed_at - requested_at).total_seconds() / 3600)
    rows = []
    for group in counts:
        key = group[key_field]
        decided = group["met"] + group["missed"]
        closing = sorted(hours.get(key, []))
        rows.append(
            ComplianceRow(
                key=key,
                label=group[label_field] or f"(no {by.replace('_', ' ')})",
                due=group["due"],
                met=group["met"],
                missed=group["missed"],
                open_not_yet_due=group["open_not_yet_due"],
                compliance_rate=group["met"] / decided if decided else None,
                median_hours_to_close=statistics.median(closing) if closing else None,
                p90_hours_to_close=_nearest_rank(closing, 0.9) if closing else None,
            )
        )
    return sorted(rows, key=lambda row: (row.label, row.key or 0))
