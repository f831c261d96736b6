"""The public face of a case: what Open311, the portal and open data may show.

Built field by field from an allow-list, never by dumping the model, so a new column (or a
resident, an internal note, an assignee) cannot leak into a public feed by accident.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from civicdesk.cases.choices import CaseStatus, EventKind, NoteVisibility
from civicdesk.cases.models import Attachment, Case, CaseEvent, CaseNote
from civicdesk.cases.status import OPEN311_STATUS


def public_datetime(value: datetime | None) -> str | None:
    """ISO 8601 with the jurisdiction's UTC offset, as Open311 clients expect."""
    if value is None:
        return None
    zone = ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE)
    return value.astimezone(zone).isoformat(timespec="seconds")


def _public_events(case: Case) -> list[CaseEvent]:
    prefetched: list[CaseEvent] | None = getattr(case, "public_events", None)
    if prefetched is not None:
        return prefetched
    return list(case.events.filter(is_public=True).order_by("created_at", "id"))


def _public_notes(case: Case) -> list[CaseNote]:
    prefetched: list[CaseNote] | None = getattr(case, "public_notes", None)
    if prefetched is not None:
        return prefetched
    return list(case.notes.filter(visibility=NoteVisibility.PUBLIC))


def _first_public_attachment(case: Case) -> Attachment | None:
    prefetched: list[Attachment] | None = getattr(case, "public_attachments", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return case.attachments.filter(is_public=True).first()


def _public_timeline(case: Case, events: list[CaseEvent]) -> list[dict[str, Any]]:
    entries: list[tuple[datetime, int, dict[str, Any]]] = []
    noted_ids = {
        event.data.get("note_id") for event in events if event.kind == EventKind.NOTE_ADDED
    }
    for event in events:
        entries.append(
            (
                event.created_at,
                0,
                {
                    "datetime": public_datetime(event.created_at),
                    "type": event.kind,
                    "description": event.public_text,
                },
            )
        )
    # Public notes written before notes had events (imports, fixes) still belong here.
    for note in _public_notes(case):
        if note.pk not in noted_ids:
            entries.append(
                (
                    note.created_at,
                    1,
                    {
                        "datetime": public_datetime(note.created_at),
                        "type": EventKind.NOTE_ADDED.value,
                        "description": note.body,
                    },
                )
            )
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    return [entry for _, _, entry in entries]


def case_public_record(case: Case, *, extensions: bool = False) -> dict[str, Any]:
    """The Open311 GeoReport v2 request of a case, plus `attributes` and `notes` on request.

    Never contains the resident, contact details, internal notes, the assignee or
    non-public events.
    """
    events = _public_events(case)
    status_notes = next((event.public_text for event in reversed(events) if event.public_text), "")
    media_url = case.media_url
    if not media_url:
        attachment = _first_public_attachment(case)
        if attachment is not None:
            media_url = attachment.file.url
    record: dict[str, Any] = {
        "service_request_id": case.reference,
        "status": OPEN311_STATUS[CaseStatus(case.status)],
        "status_notes": status_notes,
        "service_name": case.service_type.name,
        "service_code": case.service_type.code,
        "description": case.description,
        "agency_responsible": case.department.name,
        "service_notice": "",
        "requested_datetime": public_datetime(case.requested_at),
        "updated_datetime": public_datetime(case.updated_at),
        "expected_datetime": public_datetime(case.sla_due_at),
        "address": case.address,
        "address_id": case.address_id,
        "zipcode": case.zipcode,
        "lat": case.lat,
        "long": case.long,
        "media_url": media_url,
    }
    if extensions:
        record["attributes"] = dict(case.attributes)
        record["notes"] = _public_timeline(case, events)
    return record
