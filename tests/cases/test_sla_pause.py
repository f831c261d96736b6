"""Waiting on the resident stops the SLA clock; answering starts it again, later by the pause."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind, SlaState
from civicdesk.cases.models import CaseEvent
from civicdesk.cases.services.sla import sla_sweep
from civicdesk.cases.services.workflow import case_provider_assign, case_transition
from civicdesk.catalog.models import Provider

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def ny(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, 0, tzinfo=NEW_YORK)


def test_waiting_pauses_and_answering_moves_the_due_time_by_the_working_time_paused(
    eight_hour_case, agent
):
    case = eight_hour_case
    assert case.sla_due_at == ny(8, 17)

    case_transition(case=case, to_status=CaseStatus.WAITING, actor=agent, at=ny(8, 10))
    assert case.sla_paused_at == ny(8, 10)
    # Back Tuesday 10:00: Monday 10-17 and Tuesday 08-10 are nine working hours.
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=agent, at=ny(9, 10))

    case.refresh_from_db()
    assert case.sla_paused_at is None
    assert case.sla_due_at == ny(9, 17)
    assert case.sla_at_risk_at == ny(9, 15)
    paused, resumed = CaseEvent.objects.filter(case=case, kind=EventKind.STATUS_CHANGED).order_by(
        "id"
    )
    assert dt.datetime.fromisoformat(paused.data["sla"]["paused_at"]) == ny(8, 10)
    assert dt.datetime.fromisoformat(resumed.data["sla"]["old_due_at"]) == ny(8, 17)
    assert dt.datetime.fromisoformat(resumed.data["sla"]["new_due_at"]) == ny(9, 17)
    assert resumed.data["sla"]["paused_seconds"] == 9 * 3600


def test_closing_while_waiting_ends_the_pause_and_counts_as_met(eight_hour_case):
    case = eight_hour_case
    case_transition(case=case, to_status=CaseStatus.WAITING, at=ny(8, 10))
    # Closed on Wednesday: late by the original due time, on time once the pause is left out.
    case_transition(
        case=case,
        to_status=CaseStatus.CLOSED,
        close_reason=CloseReason.WITHDRAWN,
        at=ny(10, 9),
    )

    case.refresh_from_db()
    assert case.sla_paused_at is None
    # Paused 17 working hours (Monday 7, Tuesday 9, Wednesday 1): due Wednesday 16:00.
    assert case.sla_due_at == ny(10, 16)
    assert case.closed_at <= case.sla_due_at


def test_a_paused_case_is_not_breached_and_is_judged_on_its_new_due_time(eight_hour_case):
    case = eight_hour_case
    case_transition(case=case, to_status=CaseStatus.WAITING, at=ny(8, 10))

    assert sla_sweep(now=ny(12, 12)).breached == 0
    case_transition(case=case, to_status=CaseStatus.OPEN, at=ny(15, 8))
    # Resumed Monday 15 June 08:00 with seven working hours left: due 15:00, at risk 13:00.
    assert sla_sweep(now=ny(15, 12)).at_risk == 0
    assert sla_sweep(now=ny(15, 13)).at_risk == 1
    assert sla_sweep(now=ny(15, 16)).breached == 1
    case.refresh_from_db()
    assert case.sla_state == SlaState.BREACHED


def test_provider_is_assigned_once_with_an_internal_event(case, agent):
    crew = Provider.objects.create(code="acme", name="Acme Paving")

    case_provider_assign(case=case, provider=crew, actor=agent)
    case_provider_assign(case=case, provider=crew, actor=agent)

    case.refresh_from_db()
    assert case.provider == crew
    event = CaseEvent.objects.get(case=case, kind=EventKind.PROVIDER_ASSIGNED)
    assert event.actor == agent
    assert not event.is_public
    assert event.data == {"from": None, "to": {"provider_id": crew.pk, "provider": "acme"}}


def test_an_inactive_provider_is_refused(case):
    retired = Provider.objects.create(code="old", name="Old Crew", is_active=False)

    with pytest.raises(ValidationError, match="Old Crew is not active"):
        case_provider_assign(case=case, provider=retired, actor=None)

    assert not CaseEvent.objects.filter(case=case, kind=EventKind.PROVIDER_ASSIGNED).exists()
