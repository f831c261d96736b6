"""NYC 311 Service Requests (NYC Open Data) to records, in either column style.

The portal's CSV export titles its columns ("Unique Key", "Created Date"); the Socrata API uses
snake_case ("unique_key", "created_date"). `nyc_column` folds both to snake_case, so the parser
sees one shape. Times come as "05/01/2022 12:00:00 AM" (New York local time) or ISO 8601, with
or without an offset.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.services.opening import HistoricalRecord
from civicdesk.intake.importers.mapping import ResolvedMapping
from civicdesk.intake.importers.rows import (
    RowError,
    aware_utc,
    closed_order_check,
    external_id_check,
    location_parse,
    optional_value,
    required_value,
)

NEW_YORK = ZoneInfo("America/New_York")
TITLE_STYLE = "title case (portal export)"
SNAKE_STYLE = "snake_case (Socrata API)"

NYC_STATUSES = {
    "closed": CaseStatus.CLOSED,
    "open": CaseStatus.OPEN,
    "pending": CaseStatus.OPEN,
    "in progress": CaseStatus.IN_PROGRESS,
    "assigned": CaseStatus.IN_PROGRESS,
    "started": CaseStatus.IN_PROGRESS,
}
_US_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y")


def nyc_column(name: str) -> str:
    """'Created Date' and 'created_date' both become 'created_date'."""
    return "_".join(name.strip().lstrip("\ufeff").lower().split())


def nyc_column_style(header: Sequence[str]) -> str:
    """Which export the header comes from; raises `ValueError` when it is not NYC 311."""
    stripped = [name.strip().lstrip("\ufeff") for name in header]
    if "Unique Key" in stripped and "Created Date" in stripped:
        return TITLE_STYLE
    if "unique_key" in stripped and "created_date" in stripped:
        return SNAKE_STYLE
    raise ValueError("not an NYC 311 file: no 'Unique Key'/'unique_key' and 'Created Date' columns")


def nyc_datetime_parse(text: str, *, field: str) -> datetime:
    """An NYC 311 time as aware UTC; times without an offset are New York local time."""
    text = text.strip()
    parsed: datetime | None = None
    if "/" in text:
        for pattern in _US_FORMATS:
            try:
                parsed = datetime.strptime(text, pattern)  # noqa: DTZ007 - zone set below
                break
            except ValueError:
                continue
    else:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            parsed = None
    if parsed is None:
        raise RowError(f"{field} is not a date and time", field)
    return aware_utc(parsed, field=field, naive_zone=NEW_YORK)


def nyc311_row_parse(
    *, row: Mapping[str, object], mapping: ResolvedMapping, source: str
) -> HistoricalRecord:
    """One NYC 311 row (columns folded by `nyc_column`) as a record, or `RowError`.

    NYC rows carry no free text from the resident; the complaint type, descriptor, agency and
    channel go into the case's attributes so reports can still use them.
    """
    external_id = external_id_check(
        required_value(row, "unique_key", "unique key"), field="unique_key"
    )
    complaint_type = required_value(row, "complaint_type", "complaint type")
    descriptor = optional_value(row, "descriptor")
    try:
        service_type = mapping.service_type_for(categories=(complaint_type,), descriptor=descriptor)
    except LookupError as missing:
        raise RowError(
            f"service type '{missing}' is not in the catalog", "complaint_type"
        ) from None
    if service_type is None:
        raise RowError(f"unmapped category '{complaint_type}'", "complaint_type")

    requested_at = nyc_datetime_parse(
        required_value(row, "created_date", "created date"), field="created_date"
    )
    closed_text = optional_value(row, "closed_date")
    closed_at = nyc_datetime_parse(closed_text, field="closed_date") if closed_text else None
    updated_text = optional_value(row, "resolution_action_updated_date")
    updated_at = (
        nyc_datetime_parse(updated_text, field="resolution_action_updated_date")
        if updated_text
        else None
    )
    status_text = optional_value(row, "status")
    if status_text:
        status = NYC_STATUSES.get(status_text.lower())
        if status is None:
            raise RowError(f"unknown status '{status_text}'", "status")
    else:
        status = CaseStatus.CLOSED if closed_at else CaseStatus.OPEN
    if status == CaseStatus.CLOSED:
        closed_order_check(requested_at=requested_at, closed_at=closed_at, field="closed_date")
    else:
        # Requests still open often carry 1900-01-01 as their close date: a placeholder.
        closed_at = None
    if updated_at is not None and updated_at < requested_at:
        updated_at = None

    agency = optional_value(row, "agency")
    try:
        department = mapping.department_for(agency=agency) if agency else None
    except LookupError as missing:
        raise RowError(f"department '{missing}' is not in the catalog", "agency") from None

    attributes = {
        key: value
        for key, value in (
            ("source_category", complaint_type),
            ("source_descriptor", descriptor),
            ("source_agency", agency),
            ("source_channel", optional_value(row, "open_data_channel_type")),
        )
        if value
    }
    return HistoricalRecord(
        source=source,
        external_id=external_id,
        service_type=service_type,
        location=location_parse(
            lat_text=optional_value(row, "latitude"),
            long_text=optional_value(row, "longitude"),
            address=_address(row),
            zipcode=optional_value(row, "incident_zip"),
            lat_field="latitude",
            long_field="longitude",
        ),
        description="",
        requested_at=requested_at,
        status=status,
        updated_at=updated_at,
        closed_at=closed_at,
        status_notes=optional_value(row, "resolution_description"),
        department=department,
        attributes=attributes,
    )


def _address(row: Mapping[str, object]) -> str:
    street = optional_value(row, "incident_address")
    if not street:
        corners = [optional_value(row, f"intersection_street_{n}") for n in (1, 2)]
        street = " & ".join(corner for corner in corners if corner)
    city = optional_value(row, "city")
    return ", ".join(part for part in (street, city) if part)
