"""Working a case: status changes, assignment and notes, each with its timeline event."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind, NoteVisibility
from civicdesk.cases.models import Case, CaseEvent, CaseNote
from civicdesk.cases.services.events import case_event_record
from civicdesk.cases.services.sla import sla_pause, sla_resume
from civicdesk.cases.status import TransitionError, check_transition
from civicdesk.catalog.models import Department, Provider

MAX_NOTE_LENGTH = 10_000


def _check_text(*, field: str, value: str, required: bool) -> str:
    text = value.strip()
    if required and not text:
        raise ValidationError({field: _("Write something; a blank note cannot be saved.")})
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError(
            {
                field: _("Keep it to %(limit)s characters or fewer.")
                % {"limit": f"{MAX_NOTE_LENGTH:,}"}
            }
        )
    try:
        # PostgreSQL refuses NUL in text columns; fail here with the field named instead.
        ProhibitNullCharactersValidator()(text)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return text


def _check_event_time(*, case: Case, at: datetime) -> None:
    if timezone.is_naive(at):
        raise ValidationError({"at": _("Give the time with its time zone.")})
    last_event_at = (
        CaseEvent.objects.filter(case=case)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    ).first()
    # The timeline is read in time order; a change back-dated before the last event would
    # rewrite history the resident may already have seen.
    if last_event_at is not None and at < last_event_at:
        raise ValidationError({"at": _("A change cannot be dated before the case's last event.")})


def _check_not_merged(*, case: Case) -> None:
    # A merged duplicate lives on only as a pointer; reopening it would split the work (and its
    # followers, who moved to the original) in two again.
    if case.merged_into_id is not None:
        original = Case.objects.values_list("reference", flat=True).get(pk=case.merged_into_id)
        raise TransitionError(
            _("This request was merged into %(reference)s; work on that one instead.")
            % {"reference": original}
        )


def case_transition(
    *,
    case: Case,
    to_status: CaseStatus,
    actor: User | None = None,
    close_reason: CloseReason | None = None,
    public_note: str = "",
    at: datetime | None = None,
) -> Case:
    """Move a case to another status, or raise `TransitionError` and write nothing.

    Closing stamps `closed_at` and the reason; reopening clears both. The event is public and
    carries `public_note`, which becomes the Open311 `status_notes`.

    Moving to `waiting` pauses the SLA clock; any move out of it (closing too) restarts it,
    pushing the due time on by the paused time, and the event's `data["sla"]` says by how much.
    """
    to_status = CaseStatus(to_status)
    close_reason = CloseReason(close_reason) if close_reason is not None else None
    note = _check_text(field="public_note", value=public_note, required=False)
    changed_at = at or timezone.now()
    with transaction.atomic():
        # The row lock makes a second agent closing the same case wait, then see it closed.
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("service_type")
            .get(pk=case.pk)
        )
        from_status = CaseStatus(locked.status)
        check_transition(from_status, to_status, close_reason)
        _check_not_merged(case=locked)
        _check_event_time(case=locked, at=changed_at)

        if to_status == CaseStatus.CLOSED:
            kind = EventKind.CLOSED
            locked.closed_at = changed_at
            locked.close_reason = close_reason or ""
        elif from_status == CaseStatus.CLOSED:
            kind = EventKind.REOPENED
            locked.closed_at = None
            locked.close_reason = ""
        else:
            kind = EventKind.STATUS_CHANGED
        data: dict[str, Any] = {}
        if to_status == CaseStatus.WAITING:
            data.update(sla_pause(case=locked, at=changed_at))
        elif from_status == CaseStatus.WAITING:
            data.update(sla_resume(case=locked, at=changed_at))
        locked.status = to_status
        locked.full_clean()
        locked.save(
            update_fields=[
                "status",
                "closed_at",
                "close_reason",
                "sla_paused_at",
                "sla_due_at",
                "sla_at_risk_at",
            ]
        )

        if close_reason is not None:
            data["close_reason"] = close_reason.value
        case_event_record(
            case=locked,
            kind=kind,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            is_public=True,
            public_text=note,
            data=data,
            at=changed_at,
        )
    case_state_copy(source=locked, target=case)
    return locked


def case_state_copy(*, source: Case, target: Case) -> None:
    """Bring `target` up to date with the row a service locked and changed (`source`).

    Callers often keep using the instance they passed in (admin, intake); keep it current.
    """
    if target is source:
        return
    for field in (
        "status",
        "closed_at",
        "close_reason",
        "updated_at",
        "department",
        "assignee",
        "provider_id",
        "sla_paused_at",
        "sla_due_at",
        "sla_at_risk_at",
        "merged_into_id",
    ):
        setattr(target, field, getattr(source, field))


def _assignment(case: Case) -> dict[str, int | str | None]:
    return {
        "department_id": case.department_id,
        "department": case.department.name,
        "assignee_id": case.assignee_id,
    }


def case_assign(
    *,
    case: Case,
    department: Department | None = None,
    assignee: User | None = None,
    actor: User | None = None,
) -> Case:
    """Give a case to a department (default: keep the current one) and optionally a person.

    `assignee=None` leaves the case in the department's queue with nobody named. Nothing
    changes and no event is written when the assignment is already the one asked for.
    """
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("department")
            .get(pk=case.pk)
        )
        new_department = department or locked.department
        if not new_department.is_active:
            raise ValidationError(
                {
                    "department": _("%(name)s is not active; choose another department.")
                    % {"name": new_department.name}
                }
            )
        if assignee is not None and not assignee.is_active:
            raise ValidationError({"assignee": _("That person's account is not active.")})
        new_assignee_id = assignee.pk if assignee is not None else None
        if locked.department_id == new_department.pk and locked.assignee_id == new_assignee_id:
            case_state_copy(source=locked, target=case)
            return locked

        before = _assignment(locked)
        locked.department = new_department
        locked.assignee = assignee
        locked.full_clean()
        locked.save(update_fields=["department", "assignee"])
        case_event_record(
            case=locked,
            kind=EventKind.ASSIGNED,
            actor=actor,
            # Who works a case is staff business; the public sees the agency on the case itself.
            is_public=False,
            data={"from": before, "to": _assignment(locked)},
        )
    case_state_copy(source=locked, target=case)
    return locked


def case_provider_assign(
    *, case: Case, provider: Provider | None, actor: User | None = None
) -> Case:
    """Name the contractor or crew doing the work (None: nobody outside the department).

    Nothing changes and no event is written when the case already has that provider.
    """
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",)).select_related("provider").get(pk=case.pk)
        )
        if provider is not None and not provider.is_active:
            raise ValidationError(
                {
                    "provider": _("%(name)s is not active; choose another provider.")
                    % {"name": provider.name}
                }
            )
        new_id = provider.pk if provider is not None else None
        if locked.provider_id == new_id:
            case_state_copy(source=locked, target=case)
            return locked
        before = locked.provider
        locked.provider = provider
        locked.save(update_fields=["provider"])
        case_event_record(
            case=locked,
            kind=EventKind.PROVIDER_ASSIGNED,
            actor=actor,
            # Contractors are staff business, as assignment is.
            is_public=False,
            data={
                "from": {"provider_id": before.pk, "provider": before.code} if before else None,
                "to": {"provider_id": provider.pk, "provider": provider.code} if provider else None,
            },
        )
    case_state_copy(source=locked, target=case)
    return locked


def case_note_add(
    *,
    case: Case,
    body: str,
    visibility: NoteVisibility,
    author: User | None = None,
) -> CaseNote:
    """Add a public or internal note; a public note also shows on the public timeline."""
    visibility = NoteVisibility(visibility)
    text = _check_text(field="body", value=body, required=True)
    is_public = visibility == NoteVisibility.PUBLIC
    with transaction.atomic():
        note = CaseNote(case=case, body=text, visibility=visibility, author=author)
        note.full_clean()
        note.save()
        case_event_record(
            case=case,
            kind=EventKind.NOTE_ADDED,
            actor=author,
            is_public=is_public,
            public_text=text if is_public else "",
            data={"note_id": note.pk, "visibility": visibility.value},
            at=note.created_at,
        )
    return note
