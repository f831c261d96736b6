"""SLA compliance per department and provider, counted on a small built history."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicdesk.cases.choices import CaseStatus, CloseReason
from civicdesk.cases.reports import sla_compliance
from civicdesk.cases.services.opening import Location, case_open
from civicdesk.cases.services.workflow import case_provider_assign, case_transition
from civicdesk.catalog.models import Provider, ServiceType
from civicdesk.contacts.choices import Channel

pytestmark = pytest.mark.django_db

D0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def day(n: float) -> dt.datetime:
    return D0 + n * DAY


@pytest.fixture
def history(department, other_department):
    acme = Provider.objects.create(code="acme", name="Acme Paving")

    def service(dept, code):
        return ServiceType.objects.create(
            code=code,
            name=code.title(),
            default_department=dept,
            sla_value=4,
            sla_unit="calendar_days",
        )

    streets, parks = service(department, "sign"), service(other_department, "bench")

    def case(svc, opened, closed=None, waiting=None, provider=None):
        c = case_open(
            service_type=svc,
            location=Location(),
            description="x",
            channel=Channel.WEB,
            requested_at=opened,
        )
        if waiting:
            case_transition(case=c, to_status=CaseStatus.WAITING, at=waiting)
        if closed:
            case_transition(
                case=c, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED, at=closed
            )
        if provider:
            case_provider_assign(case=c, provider=provider, actor=None)
        return c

    case(streets, day(0), closed=day(2), provider=acme)  # met, 48 h
    case(streets, day(0), closed=day(6), provider=acme)  # missed, 144 h
    case(streets, day(1))  # open past due: missed
    case(streets, day(5))  # due day 9: not yet due
    case(streets, day(2), closed=day(3))  # met, 24 h
    case(streets, day(0), waiting=day(1))  # paused: not yet judged
    case(streets, day(-10), closed=day(-1))  # due before the period: not counted
    case(parks, day(0), closed=day(5))  # missed, 120 h
    return {"start": day(3), "end": day(10), "as_of": day(8)}


def summary(rows):
    return [
        (
            r.label,
            r.due,
            r.met,
            r.missed,
            r.open_not_yet_due,
            None if r.compliance_rate is None else round(r.compliance_rate, 4),
            r.median_hours_to_close,
            r.p90_hours_to_close,
        )
        for r in rows
    ]


def test_compliance_by_department(history, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = sla_compliance(by="department", **history)

    assert summary(rows) == [
        ("Parks and Recreation", 1, 0, 1, 0, 0.0, 120.0, 120.0),
        ("Public Works", 6, 2, 2, 2, 0.5, 48.0, 144.0),
    ]


def test_compliance_by_provider_groups_cases_without_one(history):
    rows = sla_compliance(by="provider", **history)

    assert summary(rows) == [
        ("(no provider)", 5, 1, 2, 2, 0.3333, 72.0, 120.0),
        ("Acme Paving", 2, 1, 1, 0, 0.5, 96.0, 144.0),
    ]


def test_compliance_by_service_type_and_district(history):
    by_service = sla_compliance(by="service_type", **history)
    by_district = sla_compliance(by="district", **history)

    assert [(r.label, r.due) for r in by_service] == [("Bench", 1), ("Sign", 6)]
    assert [(r.label, r.due, r.met, r.missed) for r in by_district] == [("(no district)", 7, 2, 3)]


def test_unknown_grouping_is_refused(history):
    with pytest.raises(ValueError, match="Group by one of"):
        sla_compliance(by="colour", **history)  # type: ignore[arg-type]


def test_the_report_command_prints_each_group_and_the_total(history):
    out = io.StringIO()

    call_command(
        "sla",
        "report",
        "--by",
        "department",
        "--start",
        "2026-06-04",
        "--end",
        "2026-06-11",
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "SLA compliance of requests due 2026-06-04 to 2026-06-11 (end excluded), by department"
    )
    # Judged as of now, long after the period: the request still open is missed too.
    assert lines[2].split() == [
        "Parks",
        "and",
        "Recreation",
        "1",
        "0",
        "1",
        "0",
        "0.0%",
        "120.0",
        "120.0",
    ]
    assert lines[3].split() == ["Public", "Works", "6", "2", "3", "1", "40.0%", "48.0", "144.0"]
    assert lines[4].split() == ["all", "7", "2", "4", "1", "33.3%", "-", "-"]


def test_the_report_command_refuses_a_backwards_period(db):
    with pytest.raises(CommandError, match="--end must be after --start"):
        call_command("sla", "report", "--start", "2026-06-04", "--end", "2026-06-01")
