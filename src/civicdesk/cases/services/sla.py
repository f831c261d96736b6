"""The SLA clock of open cases: pauses while waiting on the resident, and the sweep that marks
cases at risk or breached and tells the department's supervisor.

How the clock counts is in `catalog.sla`; docs/sla.md describes the whole life of a clock.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus, EventKind, SlaState
from civicdesk.cases.models import Case, CaseEvent
from civicdesk.catalog.models import Department
from civicdesk.catalog.sla import sla_clock_resume

SWEEP_BATCH_SIZE = 2000


def sla_state_at(*, due_at: datetime | None, at_risk_at: datetime | None, at: datetime) -> SlaState:
    """Where a clock with these thresholds stands at `at` (no pause taken into account)."""
    if due_at is None:
        return SlaState.NONE
    if at > due_at:
        return SlaState.BREACHED
    if at_risk_at is not None and at >= at_risk_at:
        return SlaState.AT_RISK
    return SlaState.ON_TRACK


def sla_pause(*, case: Case, at: datetime) -> dict[str, Any]:
    """Stop the clock of a case that starts waiting on the resident; the caller saves the case.

    Returns what the status event records about the clock.
    """
    if case.sla_paused_at is not None or case.sla_due_at is None:
        return {}
    case.sla_paused_at = at
    return {"sla": {"paused_at": at.isoformat(), "due_at": case.sla_due_at.isoformat()}}


def sla_resume(*, case: Case, at: datetime) -> dict[str, Any]:
    """Restart a paused clock: due and at-risk times move on by the paused time as the clock
    counts it. The caller saves the case. Returns what the status event records."""
    paused_at = case.sla_paused_at
    if paused_at is None:
        return {}
    old_due = case.sla_due_at
    shift = sla_clock_resume(
        service_type=case.service_type,
        paused_at=paused_at,
        resumed_at=at,
        due_at=case.sla_due_at,
        at_risk_at=case.sla_at_risk_at,
        department_id=case.department_id,
    )
    case.sla_paused_at = None
    case.sla_due_at = shift.due_at
    case.sla_at_risk_at = shift.at_risk_at
    return {
        "sla": {
            "paused_at": paused_at.isoformat(),
            "resumed_at": at.isoformat(),
            "paused_seconds": int(shift.paused.total_seconds()),
            "old_due_at": old_due.isoformat() if old_due else None,
            "new_due_at": shift.due_at.isoformat() if shift.due_at else None,
        }
    }


@dataclass
class SweepResult:
    """What one sweep changed."""

    at_risk: int = 0
    breached: int = 0
    escalations: int = 0
    batches: int = 0
    unsupervised_departments: set[int] = field(default_factory=set)

    def __str__(self) -> str:
        return (
            f"{self.at_risk} case(s) now at risk, {self.breached} breached, "
            f"{self.escalations} escalation(s)"
        )


@dataclass(frozen=True)
class _Step:
    kind: EventKind
    to_state: SlaState
    from_states: tuple[SlaState, ...]
    # The condition, given `now`, under which a running clock takes this step.
    passed: Callable[[datetime], Q]


# Breaches first: a case that passed both thresholds since the last sweep goes straight to
# breached, with one event, instead of being announced at risk and breached at once.
_STEPS = (
    _Step(
        kind=EventKind.SLA_BREACHED,
        to_state=SlaState.BREACHED,
        from_states=(SlaState.ON_TRACK, SlaState.AT_RISK),
        passed=lambda now: Q(sla_due_at__lt=now),
    ),
    _Step(
        kind=EventKind.SLA_AT_RISK,
        to_state=SlaState.AT_RISK,
        from_states=(SlaState.ON_TRACK,),
        passed=lambda now: Q(sla_at_risk_at__lte=now, sla_due_at__gte=now),
    ),
)


def _candidates(step: _Step, now: datetime) -> QuerySet[Case]:
    # Matches the partial indexes cases_sla_due_open / cases_sla_risk_open (status <> closed).
    return (
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .filter(sla_state__in=step.from_states, sla_paused_at__isnull=True)
        .filter(step.passed(now))
    )


def _supervisors(department_ids: set[int]) -> dict[int, tuple[int | None, str | None]]:
    rows = Department.objects.filter(pk__in=department_ids).values_list(
        "pk", "supervisor_id", "supervisor__username"
    )
    return {pk: (supervisor_id, username) for pk, supervisor_id, username in rows}


def _escalation(
    *, step: _Step, department_id: int, supervisor: tuple[int | None, str | None]
) -> dict[str, Any]:
    supervisor_id, username = supervisor
    data: dict[str, Any] = {
        "reason": step.to_state.value,
        "department_id": department_id,
        "supervisor_id": supervisor_id,
        "supervisor": username,
    }
    if supervisor_id is None:
        data["note"] = "The department has no supervisor; nobody was named."
    return data


def _sweep_batch(step: _Step, now: datetime, ids: Sequence[int], result: SweepResult) -> None:
    with transaction.atomic():
        # Row locks with SKIP LOCKED: a second sweep running at the same moment skips the rows
        # this one holds, and a case an agent is closing or pausing right now is left for the
        # next run. The conditions are checked again on the current rows, so a case closed,
        # paused or already marked (by another sweep) since the candidates were read is not.
        rows: Sequence[tuple[int, int, datetime | None, datetime | None, str]] = list(
            _candidates(step, now)
            .filter(pk__in=ids)
            .order_by()
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", "department_id", "sla_due_at", "sla_at_risk_at", "sla_state")
        )
        if not rows:
            return
        ids = [row[0] for row in rows]
        Case.objects.filter(pk__in=ids).update(sla_state=step.to_state)
        supervisors = _supervisors({row[1] for row in rows})
        events: list[CaseEvent] = []
        for case_id, department_id, due_at, at_risk_at, from_state in rows:
            events.append(
                CaseEvent(
                    case_id=case_id,
                    kind=step.kind,
                    is_public=False,
                    data={
                        "from": from_state,
                        "to": step.to_state.value,
                        "due_at": due_at.isoformat() if due_at else None,
                        "at_risk_at": at_risk_at.isoformat() if at_risk_at else None,
                    },
                    created_at=now,
                )
            )
            supervisor = supervisors.get(department_id, (None, None))
            if supervisor[0] is None:
                result.unsupervised_departments.add(department_id)
            events.append(
                CaseEvent(
                    case_id=case_id,
                    kind=EventKind.ESCALATED,
                    actor_id=None,
                    is_public=False,
                    data=_escalation(step=step, department_id=department_id, supervisor=supervisor),
                    created_at=now,
                )
            )
        # Internal events only: the case's public `updated_at` stays where the resident last
        # saw a change, and no public cache needs refreshing.
        CaseEvent.objects.bulk_create(events, batch_size=SWEEP_BATCH_SIZE)
    result.batches += 1
    result.escalations += len(rows)
    if step.to_state == SlaState.BREACHED:
        result.breached += len(rows)
    else:
        result.at_risk += len(rows)


def sla_sweep(*, now: datetime | None = None) -> SweepResult:
    """Mark open, running clocks that passed a threshold: at risk, or breached when due.

    Each change writes an internal `sla_at_risk` or `sla_breached` event and an `escalated`
    event naming the department's supervisor. Safe to run twice and at the same time as
    another sweep: a case moves to a state once, so the second run finds nothing to do.
    """
    now = now or timezone.now()
    result = SweepResult()
    for step in _STEPS:
        # One read of the candidates through the partial index, then batches by primary key.
        # Re-reading "the next batch" through the index would walk past the entries of every
        # row already marked (dead until vacuumed), which makes a large sweep quadratic.
        ids = list(_candidates(step, now).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), SWEEP_BATCH_SIZE):
            _sweep_batch(step, now, ids[start : start + SWEEP_BATCH_SIZE], result)
    return result
