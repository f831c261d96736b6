"""Opening a case, for the intake service and for historical imports.

Validation of what the resident sent happens in the intake service; these functions take values
that are already clean and write the case with its first timeline event.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind, SlaState
from civicdesk.cases.models import Case, default_jurisdiction
from civicdesk.cases.services.events import case_event_record
from civicdesk.cases.services.references import reference_next
from civicdesk.cases.services.sla import sla_state_at
from civicdesk.catalog.models import Department, ServiceType
from civicdesk.catalog.sla import sla_clock_start
from civicdesk.contacts.choices import Channel
from civicdesk.geo.cells import geo_cell
from civicdesk.geo.models import Area
from civicdesk.people.models import Resident
from civicdesk.routing.rules import Route, department_route


def _validate_fields(case: Case) -> None:
    # Related rows were loaded by the caller and the database enforces the keys and the
    # constraints; checking them again here cost a dozen queries per case in bulk imports.
    case.full_clean(
        exclude=["service_type", "department", "district", "resident", "assignee"],
        validate_unique=False,
        validate_constraints=False,
    )


@dataclass(frozen=True, kw_only=True)
class Location:
    lat: float | None = None
    long: float | None = None
    address: str = ""
    address_id: str = ""
    zipcode: str = ""
    district: Area | None = None


def _case_create(
    *,
    service_type: ServiceType,
    location: Location,
    description: str,
    attributes: dict[str, Any] | None,
    department: Department | None,
    channel: Channel,
    media_url: str,
    requested_at: datetime,
    sla_as_of: datetime | None = None,
    **fields: Any,
) -> Case:
    """Number, place, route and clock a new case, then save it; the caller holds the transaction.

    The clock starts on track (or with no SLA for a service without a target). `sla_as_of`
    is for imports: the state is what it was at that moment (the closing time for a closed
    record, now for an open one), so the sweep never announces old news.
    """
    department = department or service_type.default_department
    clock = sla_clock_start(
        service_type=service_type, opened_at=requested_at, department_id=department.pk
    )
    sla_state = SlaState.NONE if clock.due_at is None else SlaState.ON_TRACK
    if sla_as_of is not None:
        sla_state = sla_state_at(due_at=clock.due_at, at_risk_at=clock.at_risk_at, at=sla_as_of)
    case = Case(
        reference=reference_next(at=requested_at),
        service_type=service_type,
        description=description,
        attributes=attributes or {},
        lat=location.lat,
        long=location.long,
        address=location.address,
        address_id=location.address_id,
        zipcode=location.zipcode,
        district=location.district,
        geo_cell=geo_cell(location.lat, location.long),
        department=department,
        channel=channel,
        media_url=media_url,
        requested_at=requested_at,
        updated_at=requested_at,
        sla_due_at=clock.due_at,
        sla_at_risk_at=clock.at_risk_at,
        sla_state=sla_state,
        **fields,
    )
    _validate_fields(case)
    case.save()
    return case


def case_open(
    *,
    service_type: ServiceType,
    location: Location,
    description: str,
    channel: Channel,
    attributes: dict[str, Any] | None = None,
    resident: Resident | None = None,
    department: Department | None = None,
    route: Route | None = None,
    media_url: str = "",
    actor: User | None = None,
    requested_at: datetime | None = None,
    jurisdiction: str = "",
) -> Case:
    """Open a new request, start its SLA clock and write the `opened` event.

    `department` sends the request there outright. Otherwise the department rules route it:
    `route` is what `department_route` answered for this request (the intake service asks
    before its transaction opens), or it is asked here; the case keeps the explanation.
    `jurisdiction` is the Open311 jurisdiction_id the request belongs to; empty means the
    deployment's own.
    """
    opened_at = requested_at or timezone.now()
    routing_explanation = ""
    if department is None:
        route = route or department_route(
            service_type=service_type, district=location.district, at=opened_at
        )
        department = route.department
        routing_explanation = route.explanation_stored()
    with transaction.atomic(savepoint=False):
        case = _case_create(
            service_type=service_type,
            location=location,
            description=description,
            attributes=attributes,
            department=department,
            channel=channel,
            media_url=media_url,
            requested_at=opened_at,
            status=CaseStatus.NEW,
            resident=resident,
            jurisdiction=jurisdiction or default_jurisdiction(),
            routing_explanation=routing_explanation,
        )
        case_event_record(
            case=case,
            kind=EventKind.OPENED,
            actor=actor,
            to_status=CaseStatus.NEW,
            is_public=True,
            public_text="Request received.",
            data={"channel": str(channel)},
            at=opened_at,
        )
    return case


@dataclass(frozen=True, kw_only=True)
class HistoricalRecord:
    """A request as another system published it, with its own id and its life so far."""

    source: str
    external_id: str
    service_type: ServiceType
    location: Location
    description: str
    requested_at: datetime
    status: CaseStatus
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    close_reason: CloseReason | None = None
    status_notes: str = ""
    media_url: str = ""
    department: Department | None = None
    attributes: dict[str, Any] | None = None


def case_import(*, record: HistoricalRecord) -> tuple[Case, bool]:
    """Create the case for a historical record once; a second call returns the first case.

    The timeline gets an `imported` event at the original request time and, for a closed
    record, a `closed` event carrying the published status notes. The SLA state is the one the
    record had when it closed (or has now, if open), with no SLA events: those are for changes
    seen as they happen.
    """
    with transaction.atomic():
        existing = Case.objects.filter(source=record.source, external_id=record.external_id).first()
        if existing is not None:
            return existing, False
        closed = record.status == CaseStatus.CLOSED
        closed_at = (
            (record.closed_at or record.updated_at or record.requested_at) if closed else None
        )
        case = _case_create(
            service_type=record.service_type,
            location=record.location,
            description=record.description,
            attributes=record.attributes,
            department=record.department,
            channel=Channel.IMPORT,
            media_url=record.media_url,
            requested_at=record.requested_at,
            sla_as_of=closed_at if closed_at is not None else timezone.now(),
            status=record.status,
            close_reason=(record.close_reason or CloseReason.RESOLVED) if closed else "",
            closed_at=closed_at,
            source=record.source,
            external_id=record.external_id,
        )
        case_event_record(
            case=case,
            kind=EventKind.IMPORTED,
            to_status=CaseStatus.OPEN if closed else record.status,
            is_public=True,
            public_text="Request received.",
            data={"source": record.source, "external_id": record.external_id},
            at=record.requested_at,
        )
        if closed and closed_at is not None:
            case_event_record(
                case=case,
                kind=EventKind.CLOSED,
                from_status=CaseStatus.OPEN,
                to_status=CaseStatus.CLOSED,
                is_public=True,
                public_text=record.status_notes,
                data={"close_reason": case.close_reason},
                at=closed_at,
            )
        elif (
            record.status != CaseStatus.NEW
            and record.updated_at
            and record.updated_at > record.requested_at
        ):
            case_event_record(
                case=case,
                kind=EventKind.STATUS_CHANGED,
                from_status=CaseStatus.NEW,
                to_status=record.status,
                is_public=bool(record.status_notes),
                public_text=record.status_notes,
                at=record.updated_at,
            )
    return case, True
