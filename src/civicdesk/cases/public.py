"""The public face of a case: what Open311, the portal and open data may show.

Built field by field from an allow-list, never by dumping the model, so a new column (or a
resident, an internal note, an assignee) cannot leak into a public feed by accident.
"""

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import default_storage

from civicdesk.cases.choices import CaseStatus, EventKind, NoteVisibility
from civicdesk.cases.models import Attachment, Case, CaseEvent, CaseNote
from civicdesk.cases.status import OPEN311_STATUS


def public_datetime(value: datetime | None) -> str | None:
    """ISO 8601 with the jurisdiction's UTC offset, as Open311 clients expect."""
    if value is None:
        return None
    return value.astimezone(_zone(settings.CIVICDESK_JURISDICTION_TIMEZONE)).isoformat(
        timespec="seconds"
    )


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


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


def public_record_from_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The Open311 record from the plain values `PUBLIC_VALUES` names.

    Both the one-case path below and the one-query list in `cases.selectors` build records
    here, so the two cannot drift apart.
    """
    media_url = values["media_url"]
    if not media_url and values["public_photo"]:
        media_url = default_storage.url(values["public_photo"])
    return {
        "service_request_id": values["reference"],
        "status": OPEN311_STATUS[CaseStatus(values["status"])],
        "status_notes": values["public_status_notes"] or "",
        "service_name": values["service_type__name"],
        "service_code": values["service_type__code"],
        "description": values["description"],
        "agency_responsible": values["department__name"],
        "service_notice": "",
        "requested_datetime": public_datetime(values["requested_at"]),
        "updated_datetime": public_datetime(values["updated_at"]),
        "expected_datetime": public_datetime(values["sla_due_at"]),
        "address": values["address"],
        "address_id": values["address_id"],
        "zipcode": values["zipcode"],
        "lat": values["lat"],
        "long": values["long"],
        "media_url": media_url,
    }


def case_public_record(case: Case, *, extensions: bool = False) -> dict[str, Any]:
    """The Open311 GeoReport v2 request of a case, plus `attributes` and `notes` on request.

    Never contains the resident, contact details, internal notes, the assignee or
    non-public events.
    """
    events = _public_events(case)
    attachment = None if case.media_url else _first_public_attachment(case)
    record = public_record_from_values(
        {
            "reference": case.reference,
            "status": case.status,
            "public_status_notes": next(
                (event.public_text for event in reversed(events) if event.public_text), ""
            ),
            "service_type__name": case.service_type.name,
            "service_type__code": case.service_type.code,
            "description": case.description,
            "department__name": case.department.name,
            "requested_at": case.requested_at,
            "updated_at": case.updated_at,
            "sla_due_at": case.sla_due_at,
            "address": case.address,
            "address_id": case.address_id,
            "zipcode": case.zipcode,
            "lat": case.lat,
            "long": case.long,
            "media_url": case.media_url,
            "public_photo": attachment.file.name if attachment is not None else "",
        }
    )
    if extensions:
        record["attributes"] = dict(case.attributes)
        record["notes"] = _public_timeline(case, events)
    return record
