"""Writing timeline events. Callers hold the transaction; this only appends the row."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus, EventKind
from civicdesk.cases.models import Case, CaseEvent
from civicdesk.core.revisions import REQUESTS, revision_bump


def case_event_record(
    *,
    case: Case,
    kind: EventKind,
    actor: User | None = None,
    from_status: CaseStatus | str = "",
    to_status: CaseStatus | str = "",
    is_public: bool = False,
    public_text: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """Append one event and move the case's `updated_at` to it (Open311 `updated_datetime`)."""
    created_at = at or timezone.now()
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        is_public=is_public,
        public_text=public_text,
        data=data or {},
        created_at=created_at,
    )
    if case.updated_at is None or created_at > case.updated_at:
        case.updated_at = created_at
        Case.objects.filter(pk=case.pk).update(updated_at=created_at)
    # Every change to a case writes an event, so this keeps cached public records honest.
    revision_bump(REQUESTS)
    return event
