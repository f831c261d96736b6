"""Reads behind the Open311 GET endpoints, each in a fixed number of queries.

Only cases of public service types are visible here: a non-public type is internal work (a crew's
own inspection, say) that the public feed never listed.
"""

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from django.db.models import (
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django_stubs_ext import WithAnnotations

from civicdesk.cases.choices import CaseStatus, EventKind
from civicdesk.cases.models import Attachment, Case, CaseEvent
from civicdesk.cases.selectors import case_list, case_public_values, case_with_public_timeline
from civicdesk.catalog.models import ServiceAttribute, ServiceType
from civicdesk.catalog.selectors import service_type_get_by_code
from civicdesk.open311.params import BoundingBox, Circle, Paging, RequestQuery, UpdateQuery

OPEN311_TO_CASE_STATUSES: dict[str, tuple[CaseStatus, ...]] = {
    "open": (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.IN_PROGRESS),
    "closed": (CaseStatus.CLOSED,),
}
METERS_PER_DEGREE = 111_320.0
Row = TypeVar("Row")
# Opening an case is the request itself, not an update to it, so the feed leaves it out.
NOT_UPDATES = (EventKind.OPENED, EventKind.IMPORTED)


class _Listed(TypedDict):
    has_attributes: bool


if TYPE_CHECKING:
    ListedService = WithAnnotations[ServiceType, _Listed]
else:  # the two-argument form exists for type checkers only
    ListedService = ServiceType


def open311_service_list(*, codes: Collection[str] | None = None) -> QuerySet[ListedService]:
    """The public active services in list order, each annotated `has_attributes`; with `codes`,
    only those (a jurisdiction's own).

    The list only says whether a definition has attributes, so one EXISTS per row replaces
    loading every attribute and list value.
    """
    has_attributes = Exists(ServiceAttribute.objects.filter(service_type=OuterRef("pk")))
    services = ServiceType.objects.filter(is_active=True, is_public=True)
    if codes is not None:
        services = services.filter(code__in=list(codes))
    return services.annotate(has_attributes=has_attributes).order_by("group", "name", "code")


def open311_service_get(*, code: str) -> ServiceType | None:
    """A public active service by code, with its attributes and values, or None."""
    if "\x00" in code:
        # PostgreSQL refuses NUL in any string, even to compare; no code can hold one.
        return None
    service_type = service_type_get_by_code(code)
    if service_type is None or not service_type.is_public:
        return None
    return service_type


def _paged(cases: QuerySet[Case, Row], paging: Paging) -> list[Row]:
    return list(cases[paging.offset : paging.offset + paging.limit])


def _within_bbox(cases: QuerySet[Case], bbox: BoundingBox) -> QuerySet[Case]:
    return cases.filter(
        lat__gte=bbox.min_lat,
        lat__lte=bbox.max_lat,
        long__gte=bbox.min_long,
        long__lte=bbox.max_long,
    )


def _within_circle(cases: QuerySet[Case], circle: Circle) -> QuerySet[Case]:
    # An equirectangular distance is exact enough within the 50 km radius allowed and needs
    # only arithmetic, which SQLite and PostgreSQL both do natively.
    scale = max(math.cos(math.radians(circle.lat)), 1e-6)
    reach = circle.radius_meters / METERS_PER_DEGREE
    boxed = _within_bbox(
        cases,
        BoundingBox(
            min_lat=circle.lat - reach,
            max_lat=circle.lat + reach,
            min_long=circle.long - reach / scale,
            max_long=circle.long + reach / scale,
        ),
    )
    dy = F("lat") - circle.lat
    dx = (F("long") - circle.long) * scale
    distance = ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())
    return boxed.alias(open311_distance=distance).filter(open311_distance__lte=reach * reach)


def _public_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(service_type__is_public=True)


def _matching_cases(query: RequestQuery, jurisdiction: str | None) -> QuerySet[Case]:
    """The public cases GET requests asks for, newest requested first."""
    if query.references is not None:
        return _public_cases(case_list(references=query.references, jurisdiction=jurisdiction))

    statuses: list[CaseStatus] | None = None
    if query.statuses is not None:
        statuses = [status for name in query.statuses for status in OPEN311_TO_CASE_STATUSES[name]]
    cases = case_list(
        status=statuses,
        service_codes=query.service_codes,
        requested_from=query.requested_from,
        requested_to=query.requested_to,
        updated_from=query.updated_from,
        jurisdiction=jurisdiction,
    )
    if query.updated_to is not None:
        cases = cases.filter(updated_at__lte=query.updated_to)
    if query.search:
        cases = cases.filter(
            Q(description__icontains=query.search)
            | Q(address__icontains=query.search)
            | Q(service_type__name__icontains=query.search)
        )
    if query.bbox is not None:
        cases = _within_bbox(cases, query.bbox)
    if query.circle is not None:
        cases = _within_circle(cases, query.circle)
    return _public_cases(cases).order_by("-requested_at", "-id")


def open311_request_list(*, query: RequestQuery, jurisdiction: str | None = None) -> list[Case]:
    """One page of matching cases with their public timelines, for `extensions=true`; with
    `jurisdiction`, only that jurisdiction's.

    Costs the same few queries for one case or a thousand: the public events, notes and
    attachments each come in one prefetch.
    """
    return _paged(case_with_public_timeline(_matching_cases(query, jurisdiction)), query.paging)


def open311_request_values(
    *, query: RequestQuery, jurisdiction: str | None = None
) -> list[dict[str, Any]]:
    """One page of matching cases as the plain values a public record needs, in one query."""
    return _paged(case_public_values(_matching_cases(query, jurisdiction)), query.paging)


def open311_request_get(*, reference: str, jurisdiction: str | None = None) -> Case | None:
    """One public case by its reference (of `jurisdiction` when given), with what its public
    record reads prefetched."""
    if "\x00" in reference:
        return None
    cases = case_list(references=[reference], jurisdiction=jurisdiction, with_public_timeline=True)
    return _public_cases(cases).first()


@dataclass(frozen=True, kw_only=True)
class PublicUpdate:
    """One public change to a case, as the request-updates feed shows it."""

    update_id: int
    reference: str
    status: str
    at: datetime
    description: str
    media_path: str


def _status_then() -> Subquery:
    # The status a case had right after this event: its own to_status, or the last one
    # before it; a note added to a closed case reports "closed", not today's status.
    earlier = CaseEvent.objects.filter(case=OuterRef("case")).exclude(to_status="")
    earlier = earlier.filter(
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), id__lte=OuterRef("id"))
    )
    return Subquery(earlier.order_by("-created_at", "-id").values("to_status")[:1])


def _attachment_paths(ids: Iterable[Any]) -> dict[int, str]:
    wanted = [value for value in ids if isinstance(value, int)]
    if not wanted:
        return {}
    attachments = Attachment.objects.filter(pk__in=wanted, is_public=True)
    return {attachment.pk: attachment.file.url for attachment in attachments}


def open311_update_list(
    *, query: UpdateQuery, jurisdiction: str | None = None
) -> list[PublicUpdate]:
    """Public updates (status changes, public notes, photos) in the window, oldest first; with
    `jurisdiction`, only to that jurisdiction's requests.

    Oldest first, so a client syncing forward can resume from the last `updated_datetime` it
    saw. Two queries whatever the page size: the events, then their public photos.
    """
    events = CaseEvent.objects.filter(
        is_public=True,
        created_at__gte=query.since,
        created_at__lte=query.until,
        case__service_type__is_public=True,
    )
    if jurisdiction is not None:
        events = events.filter(case__jurisdiction=jurisdiction)
    rows = list(
        events.exclude(kind__in=NOT_UPDATES)
        .annotate(status_then=_status_then())
        .order_by("created_at", "id")
        .values(
            "id", "kind", "public_text", "created_at", "data", "status_then", "case__reference"
        )[query.paging.offset : query.paging.offset + query.paging.limit]
    )
    attachment_ids = [
        row["data"].get("attachment_id")
        for row in rows
        if row["kind"] == EventKind.ATTACHMENT_ADDED and isinstance(row["data"], dict)
    ]
    paths = _attachment_paths(attachment_ids)
    updates = []
    for row in rows:
        data = row["data"] if isinstance(row["data"], dict) else {}
        attachment_id = data.get("attachment_id")
        status = row["status_then"] or CaseStatus.OPEN
        updates.append(
            PublicUpdate(
                update_id=row["id"],
                reference=row["case__reference"],
                status="closed" if status == CaseStatus.CLOSED else "open",
                at=row["created_at"],
                description=row["public_text"],
                media_path=paths.get(attachment_id, "") if isinstance(attachment_id, int) else "",
            )
        )
    return updates
