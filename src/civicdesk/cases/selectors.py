"""Reading cases: lists with a fixed number of queries, lookups and timelines."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from civicdesk.cases.choices import CaseStatus, EventKind, NoteVisibility
from civicdesk.cases.models import Attachment, Case, CaseEvent, CaseNote
from civicdesk.catalog.models import Department
from civicdesk.geo.models import Area


def case_list(
    *,
    status: CaseStatus | Iterable[CaseStatus] | None = None,
    service_codes: Iterable[str] | None = None,
    department: Department | None = None,
    district: Area | None = None,
    references: Iterable[str] | None = None,
    requested_from: datetime | None = None,
    requested_to: datetime | None = None,
    updated_from: datetime | None = None,
    jurisdiction: str | None = None,
    with_public_timeline: bool = False,
) -> QuerySet[Case]:
    """Cases matching the filters, newest first, with what a list row shows joined in.

    `with_public_timeline` also prefetches the public events, notes and attachments that
    `case_public_record` reads, so a public feed costs the same few queries for any length.
    """
    cases = Case.objects.select_related("service_type", "department", "district")
    if status is not None:
        statuses = [status] if isinstance(status, str) else list(status)
        cases = cases.filter(status__in=statuses)
    if service_codes is not None:
        cases = cases.filter(service_type__code__in=list(service_codes))
    if department is not None:
        cases = cases.filter(department=department)
    if district is not None:
        cases = cases.filter(district=district)
    if references is not None:
        cases = cases.filter(reference__in=[ref.strip() for ref in references])
    if requested_from is not None:
        cases = cases.filter(requested_at__gte=requested_from)
    if requested_to is not None:
        cases = cases.filter(requested_at__lte=requested_to)
    if updated_from is not None:
        cases = cases.filter(updated_at__gte=updated_from)
    if jurisdiction is not None:
        cases = cases.filter(jurisdiction=jurisdiction)
    if with_public_timeline:
        cases = case_with_public_timeline(cases)
    return cases


def case_with_public_timeline(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Prefetch what the public record of each case needs, into `public_*` attributes."""
    return cases.prefetch_related(
        Prefetch(
            "events",
            queryset=CaseEvent.objects.filter(is_public=True).order_by("created_at", "id"),
            to_attr="public_events",
        ),
        Prefetch(
            "notes",
            queryset=CaseNote.objects.filter(visibility=NoteVisibility.PUBLIC),
            to_attr="public_notes",
        ),
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(is_public=True),
            to_attr="public_attachments",
        ),
    )


PUBLIC_VALUES = (
    "reference",
    "status",
    "description",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
    "requested_at",
    "updated_at",
    "sla_due_at",
    "service_type__name",
    "service_type__code",
    "department__name",
    "public_status_notes",
    "public_photo",
)


def case_public_values(cases: QuerySet[Case]) -> QuerySet[Case, dict[str, Any]]:
    """What public records need, as plain values in one query whatever the number of cases.

    The latest public status text and the first public photo come as correlated subqueries,
    so a page of a thousand builds no model instances and runs no further queries.
    """
    latest_text = (
        CaseEvent.objects.filter(case=OuterRef("pk"), is_public=True)
        .exclude(public_text="")
        .order_by("-created_at", "-id")
        .values("public_text")[:1]
    )
    first_photo = (
        Attachment.objects.filter(case=OuterRef("pk"), is_public=True)
        .order_by("created_at", "id")
        .values("file")[:1]
    )
    return cases.annotate(
        public_status_notes=Subquery(latest_text), public_photo=Subquery(first_photo)
    ).values(*PUBLIC_VALUES)


def case_get_by_reference(reference: str) -> Case | None:
    """The case with this public reference number (as read out on the phone), or None."""
    return (
        Case.objects.select_related("service_type", "department", "district")
        .filter(reference=reference.strip())
        .first()
    )


def case_timeline(case: Case, *, public_only: bool) -> list[CaseEvent]:
    """The case's events in the order they happened; `public_only` for resident-facing views."""
    events = CaseEvent.objects.filter(case=case).order_by("created_at", "id")
    if public_only:
        return list(events.filter(is_public=True))
    return list(events.select_related("actor"))


SLA_EVENT_KINDS = (
    EventKind.OPENED,
    EventKind.IMPORTED,
    EventKind.STATUS_CHANGED,
    EventKind.CLOSED,
    EventKind.REOPENED,
    EventKind.SLA_AT_RISK,
    EventKind.SLA_BREACHED,
    EventKind.ESCALATED,
)


def case_sla_events(case: Case) -> list[CaseEvent]:
    """The events that started, paused, moved or judged the case's SLA clock, oldest first."""
    return list(
        CaseEvent.objects.filter(case=case, kind__in=SLA_EVENT_KINDS).order_by("created_at", "id")
    )
