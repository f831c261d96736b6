"""Open311 GeoReport v2 requests (as a city's `requests.json` publishes them) to records.

Open311 has no close time: a closed request's `updated_datetime` is the best stand-in, and
`case_import` uses it.
"""

from collections.abc import Mapping
from datetime import tzinfo

from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.services.opening import HistoricalRecord
from civicdesk.intake.importers.mapping import ResolvedMapping
from civicdesk.intake.importers.rows import (
    RowError,
    closed_order_check,
    description_check,
    external_id_check,
    iso_datetime_parse,
    location_parse,
    media_url_check,
    optional_value,
    required_value,
    text_value,
)

OPEN311_COLUMNS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "requested_datetime",
    "updated_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)

OPEN311_STATUSES = {
    "open": CaseStatus.OPEN,
    "closed": CaseStatus.CLOSED,
    # Not in the spec, but some servers publish them.
    "in_progress": CaseStatus.IN_PROGRESS,
    "in progress": CaseStatus.IN_PROGRESS,
    "acknowledged": CaseStatus.OPEN,
}


def open311_row_parse(
    *,
    row: Mapping[str, object],
    mapping: ResolvedMapping,
    source: str,
    naive_zone: tzinfo,
) -> HistoricalRecord:
    """One GeoReport v2 request object (or CSV row with the same names) as a record.

    The location has no district yet: that needs the database and is the runner's job.
    Raises `RowError` for anything that cannot be imported as it stands.
    """
    external_id = external_id_check(
        required_value(row, "service_request_id", "service_request_id"),
        field="service_request_id",
    )
    service_code = optional_value(row, "service_code")
    service_name = optional_value(row, "service_name")
    if not service_code and not service_name:
        raise RowError("missing service_code and service_name", "service_code")
    category = service_name or service_code
    try:
        service_type = mapping.service_type_for(categories=(service_code, service_name))
    except LookupError as missing:
        raise RowError(f"service type '{missing}' is not in the catalog", "service_code") from None
    if service_type is None:
        raise RowError(f"unmapped category '{category}'", "service_code")

    requested_at = iso_datetime_parse(
        required_value(row, "requested_datetime", "requested_datetime"),
        field="requested_datetime",
        naive_zone=naive_zone,
    )
    updated_text = optional_value(row, "updated_datetime")
    updated_at = (
        iso_datetime_parse(updated_text, field="updated_datetime", naive_zone=naive_zone)
        if updated_text
        else None
    )
    status_text = required_value(row, "status", "status")
    status = OPEN311_STATUSES.get(status_text.lower())
    if status is None:
        raise RowError(f"unknown status '{status_text}'", "status")
    if status == CaseStatus.CLOSED:
        closed_order_check(
            requested_at=requested_at, closed_at=updated_at, field="updated_datetime"
        )
    elif updated_at is not None and updated_at < requested_at:
        # Boston publishes open requests' update times cut to the minute, so a request made at
        # 11:38:48 shows an update at 11:38:00; that is no update at all.
        updated_at = None

    agency = optional_value(row, "agency_responsible")
    try:
        department = mapping.department_for(agency=agency) if agency else None
    except LookupError as missing:
        raise RowError(
            f"department '{missing}' is not in the catalog", "agency_responsible"
        ) from None

    return HistoricalRecord(
        source=source,
        external_id=external_id,
        service_type=service_type,
        location=location_parse(
            lat_text=optional_value(row, "lat"),
            long_text=optional_value(row, "long"),
            address=text_value(row, "address"),
            zipcode=optional_value(row, "zipcode"),
            address_id=optional_value(row, "address_id"),
        ),
        description=description_check(text_value(row, "description")),
        requested_at=requested_at,
        status=status,
        updated_at=updated_at,
        status_notes=text_value(row, "status_notes"),
        media_url=media_url_check(optional_value(row, "media_url"), field="media_url"),
        department=department,
        attributes={"source_category": category},
    )
