"""The SLA sweep: open cases turn at risk, then breached, once each, and the supervisor hears."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind, SlaState
from civicdesk.cases.models import Case, CaseEvent
from civicdesk.cases.services.opening import HistoricalRecord, Location, case_import, case_open
from civicdesk.cases.services.sla import sla_sweep
from civicdesk.cases.services.workflow import case_transition
from civicdesk.cases.tasks import sla_sweep as sla_sweep_task
from civicdesk.catalog.models import ServiceType
from civicdesk.contacts.choices import Channel
from tests.races import at_once

OPENED = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture
def four_day_service(department) -> ServiceType:
    # Calendar days count wall time, so the thresholds are easy to read: at risk after three
    # days (75%), due after four.
    return ServiceType.objects.create(
        code="sign",
        name="Street sign",
        default_department=department,
        sla_value=4,
        sla_unit="calendar_days",
    )


@pytest.fixture
def open_case(four_day_service):
    def make(at: dt.datetime = OPENED) -> Case:
        return case_open(
            service_type=four_day_service,
            location=Location(lat=42.36, long=-71.06),
            description="Stop sign knocked down",
            channel=Channel.WEB,
            requested_at=at,
        )

    return make


def sla_events(case: Case) -> list[str]:
    return list(
        CaseEvent.objects.filter(
            case=case,
            kind__in=[EventKind.SLA_AT_RISK, EventKind.SLA_BREACHED, EventKind.ESCALATED],
        )
        .order_by("id")
        .values_list("kind", flat=True)
    )


@pytest.mark.django_db
def test_a_new_case_starts_on_track_with_its_thresholds(open_case, make_case):
    case = open_case()
    without_target = make_case()

    assert case.sla_state == SlaState.ON_TRACK
    assert case.sla_at_risk_at == OPENED + 3 * DAY
    assert case.sla_due_at == OPENED + 4 * DAY
    assert without_target.sla_state == SlaState.NONE
    assert without_target.sla_due_at is None


@pytest.mark.django_db
def test_case_turns_at_risk_then_breached_and_each_change_is_escalated(open_case, department):
    boss = User.objects.create_user(username="maria.boss")
    department.supervisor = boss
    department.save()
    case = open_case()

    assert sla_sweep(now=OPENED + 2 * DAY).at_risk == 0
    first = sla_sweep(now=OPENED + 3 * DAY + dt.timedelta(minutes=1))
    second = sla_sweep(now=OPENED + 5 * DAY)

    assert (first.at_risk, first.breached, first.escalations) == (1, 0, 1)
    assert (second.at_risk, second.breached, second.escalations) == (0, 1, 1)
    case.refresh_from_db()
    assert case.sla_state == SlaState.BREACHED
    assert sla_events(case) == ["sla_at_risk", "escalated", "sla_breached", "escalated"]
    escalations = CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED).order_by("id")
    assert [e.data["reason"] for e in escalations] == ["at_risk", "breached"]
    assert all(e.data["supervisor_id"] == boss.pk for e in escalations)
    assert all(e.data["supervisor"] == "maria.boss" for e in escalations)
    assert not CaseEvent.objects.filter(
        case=case, kind__in=[EventKind.SLA_AT_RISK, EventKind.SLA_BREACHED, EventKind.ESCALATED]
    ).filter(is_public=True)


@pytest.mark.django_db
def test_a_second_sweep_writes_nothing(open_case):
    cases = [open_case(OPENED + dt.timedelta(hours=h)) for h in range(5)]
    now = OPENED + 10 * DAY
    sla_sweep(now=now)
    events_before = CaseEvent.objects.count()

    again = sla_sweep(now=now)
    later = sla_sweep(now=now + 30 * DAY)

    assert (again.at_risk, again.breached, again.escalations) == (0, 0, 0)
    assert (later.at_risk, later.breached) == (0, 0)
    assert CaseEvent.objects.count() == events_before
    assert {c.sla_state for c in Case.objects.filter(pk__in=[c.pk for c in cases])} == {
        SlaState.BREACHED
    }


@pytest.mark.django_db
def test_on_track_case_found_past_due_goes_straight_to_breached(open_case):
    case = open_case()

    result = sla_sweep(now=OPENED + 6 * DAY)

    assert (result.at_risk, result.breached) == (0, 1)
    assert sla_events(case) == ["sla_breached", "escalated"]
    event = CaseEvent.objects.get(case=case, kind=EventKind.SLA_BREACHED)
    assert event.data["from"] == "on_track"
    assert event.data["due_at"] == (OPENED + 4 * DAY).isoformat()


@pytest.mark.django_db
def test_paused_and_closed_cases_are_not_marked(open_case, agent):
    waiting = open_case()
    closed = open_case()
    case_transition(case=waiting, to_status=CaseStatus.WAITING, at=OPENED + DAY)
    case_transition(
        case=closed,
        to_status=CaseStatus.CLOSED,
        close_reason=CloseReason.RESOLVED,
        at=OPENED + 2 * DAY,
    )

    result = sla_sweep(now=OPENED + 20 * DAY)

    assert (result.at_risk, result.breached) == (0, 0)
    assert sla_events(waiting) == []
    assert sla_events(closed) == []


@pytest.mark.django_db
def test_escalation_without_a_supervisor_says_so(open_case):
    case = open_case()

    result = sla_sweep(now=OPENED + 6 * DAY)

    event = CaseEvent.objects.get(case=case, kind=EventKind.ESCALATED)
    assert event.data["supervisor_id"] is None
    assert event.data["supervisor"] is None
    assert "no supervisor" in event.data["note"]
    assert result.unsupervised_departments == {case.department_id}


@pytest.mark.django_db
def test_imported_closed_cases_keep_their_verdict_and_the_sweep_leaves_them(four_day_service):
    def record(external_id: str, closed_after: dt.timedelta | None) -> HistoricalRecord:
        return HistoricalRecord(
            source="old-system",
            external_id=external_id,
            service_type=four_day_service,
            location=Location(),
            description="Old request",
            requested_at=OPENED,
            status=CaseStatus.CLOSED if closed_after else CaseStatus.OPEN,
            closed_at=OPENED + closed_after if closed_after else None,
        )

    on_time, _ = case_import(record=record("1", DAY))
    late, _ = case_import(record=record("2", 9 * DAY))
    still_open, _ = case_import(record=record("3", None))

    result = sla_sweep()

    assert on_time.sla_state == SlaState.ON_TRACK
    assert late.sla_state == SlaState.BREACHED
    # Open in the other system and long past due when imported: breached, with no escalation.
    assert still_open.sla_state == SlaState.BREACHED
    assert (result.at_risk, result.breached) == (0, 0)
    assert not CaseEvent.objects.filter(kind__in=[EventKind.SLA_BREACHED, EventKind.ESCALATED])


@pytest.mark.django_db
def test_task_and_command_run_the_sweep(open_case, capsys):
    open_case(OPENED - 30 * DAY)
    open_case(OPENED - 31 * DAY)

    result = sla_sweep_task.call()
    call_command("sla", "sweep")

    assert result == "0 case(s) now at risk, 2 breached, 2 escalation(s)"
    out, err = capsys.readouterr()
    # The second run (the command) finds nothing left to do.
    assert "0 case(s) now at risk, 0 breached" in out
    assert err == ""
    assert Case.objects.filter(sla_state=SlaState.BREACHED).count() == 2


@pytest.mark.django_db
def test_status_command_shows_the_clock(open_case, capsys):
    case = open_case()
    sla_sweep(now=OPENED + 6 * DAY)

    call_command("sla", "status", case.reference)

    out = capsys.readouterr().out
    assert "SLA state:    Breached" in out
    assert "4 calendar days" in out
    assert "SLA breached" in out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_write_each_event_once(open_case, settings, monkeypatch):
    from civicdesk.cases.services import sla as sla_module

    monkeypatch.setattr(sla_module, "SWEEP_BATCH_SIZE", 7)
    cases = [open_case(OPENED + dt.timedelta(minutes=m)) for m in range(120)]
    now = OPENED + 10 * DAY
    results = at_once([lambda: sla_sweep(now=now)] * 2)

    assert sum(r.breached for r in results) == len(cases)
    assert CaseEvent.objects.filter(kind=EventKind.SLA_BREACHED).count() == len(cases)
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATED).count() == len(cases)
    assert CaseEvent.objects.filter(kind=EventKind.SLA_BREACHED).values(
        "case_id"
    ).distinct().count() == len(cases)
