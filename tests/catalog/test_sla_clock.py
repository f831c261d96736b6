"""The SLA clock's arithmetic: business time counted forward and between two moments, pauses,
and the at-risk point, across weekends, holidays and DST changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from civicdesk.catalog.models import BusinessCalendar, Department, ServiceType
from civicdesk.catalog.sla import (
    WorkingCalendar,
    business_time_add,
    business_time_between,
    sla_clock_resume,
    sla_clock_start,
)

NEW_YORK = ZoneInfo("America/New_York")
# Half-hour offset with its own DST changes (UTC+9:30 / +10:30, in April and October).
ADELAIDE = ZoneInfo("Australia/Adelaide")
UTC = dt.UTC
HOUR = dt.timedelta(hours=1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
ALL_DAYS = (*WEEKDAYS, "sat", "sun")


def office(zone: ZoneInfo, holidays: frozenset[dt.date] = frozenset()) -> WorkingCalendar:
    nine_to_five = (dt.time(8, 0), dt.time(17, 0))
    return WorkingCalendar(
        timezone=zone, hours=dict.fromkeys(range(5), nine_to_five), holidays=holidays
    )


def around_the_clock(zone: ZoneInfo) -> WorkingCalendar:
    return WorkingCalendar(
        timezone=zone, hours=dict.fromkeys(range(7), (dt.time(0), None)), holidays=frozenset()
    )


# Holidays drawn from the weeks around the DST changes of both zones.
holiday_sets = st.frozensets(
    st.dates(min_value=dt.date(2026, 3, 1), max_value=dt.date(2026, 4, 30))
    | st.dates(min_value=dt.date(2026, 10, 1), max_value=dt.date(2026, 11, 30)),
    max_size=8,
)
calendars = st.builds(
    lambda zone, holidays, always: around_the_clock(zone) if always else office(zone, holidays),
    st.sampled_from([NEW_YORK, ADELAIDE]),
    holiday_sets,
    st.booleans(),
)
moments = st.one_of(
    st.datetimes(
        min_value=dt.datetime(2026, 3, 1),
        max_value=dt.datetime(2026, 4, 30),
        timezones=st.just(UTC),
    ),
    st.datetimes(
        min_value=dt.datetime(2026, 10, 1),
        max_value=dt.datetime(2026, 11, 30),
        timezones=st.just(UTC),
    ),
)
spans = st.integers(min_value=0, max_value=200 * 60).map(lambda m: dt.timedelta(minutes=m))


@settings(max_examples=400, deadline=None)
@given(calendar=calendars, opened=moments, target=spans)
def test_due_minus_opened_in_business_time_is_the_target(calendar, opened, target):
    due = business_time_add(calendar=calendar, start=opened, duration=target)

    assert business_time_between(calendar=calendar, start=opened, end=due) == target
    assert due >= opened


@settings(max_examples=400, deadline=None)
@given(calendar=calendars, opened=moments, target=spans, before=spans, pause=spans)
def test_a_pause_moves_the_due_time_as_opening_that_much_later(
    calendar, opened, target, before, pause
):
    paused_at = opened + before
    resumed_at = paused_at + pause
    paused = business_time_between(calendar=calendar, start=paused_at, end=resumed_at)
    due = business_time_add(calendar=calendar, start=opened, duration=target)

    shifted = business_time_add(calendar=calendar, start=due, duration=paused)
    opened_later = business_time_add(calendar=calendar, start=opened, duration=paused)

    assert shifted == business_time_add(calendar=calendar, start=opened_later, duration=target)
    assert business_time_between(calendar=calendar, start=opened, end=shifted) == target + paused


@settings(max_examples=400, deadline=None)
@given(calendar=calendars, start=moments, first=spans, extra=spans)
def test_more_time_never_counts_less(calendar, start, first, extra):
    sooner = business_time_add(calendar=calendar, start=start, duration=first)
    later = business_time_add(calendar=calendar, start=start, duration=first + extra)
    end = start + first

    assert sooner <= later
    assert business_time_between(calendar=calendar, start=start, end=end) <= first
    assert business_time_between(calendar=calendar, start=start, end=end) <= business_time_between(
        calendar=calendar, start=start, end=end + extra
    )


def test_a_weekend_pause_moves_nothing():
    calendar = office(NEW_YORK)
    friday_close = dt.datetime(2026, 6, 12, 17, 0, tzinfo=NEW_YORK)
    monday_open = dt.datetime(2026, 6, 15, 8, 0, tzinfo=NEW_YORK)

    assert business_time_between(calendar=calendar, start=friday_close, end=monday_open) == (
        dt.timedelta(0)
    )


def test_business_time_skips_a_holiday_and_counts_local_hours_across_spring_forward():
    calendar = office(NEW_YORK, holidays=frozenset({dt.date(2026, 3, 9)}))
    # Friday 6 March 16:00 to Tuesday 10 March 10:00; clocks go forward on Sunday 8 March.
    start = dt.datetime(2026, 3, 6, 16, 0, tzinfo=NEW_YORK)
    end = dt.datetime(2026, 3, 10, 10, 0, tzinfo=NEW_YORK)

    assert business_time_between(calendar=calendar, start=start, end=end) == 3 * HOUR


def test_around_the_clock_in_adelaide_counts_the_real_25_hour_day_when_dst_ends():
    calendar = around_the_clock(ADELAIDE)
    # DST ends on Sunday 5 April 2026 at 03:00 local: that local day lasts 25 hours.
    start = dt.datetime(2026, 4, 5, 0, 0, tzinfo=ADELAIDE)
    end = dt.datetime(2026, 4, 6, 0, 0, tzinfo=ADELAIDE)

    assert business_time_between(calendar=calendar, start=start, end=end) == 25 * HOUR


@pytest.fixture
def services(db):
    department = Department.objects.create(code="pw", name="Public Works")
    hours = ServiceType.objects.create(
        code="pothole",
        name="Pothole",
        default_department=department,
        sla_value=8,
        sla_unit="business_hours",
    )
    days = ServiceType.objects.create(
        code="sign",
        name="Sign",
        default_department=department,
        sla_value=4,
        sla_unit="calendar_days",
    )
    return hours, days


@override_settings(CIVICDESK_SLA_AT_RISK_SHARE=0.75)
def test_at_risk_point_is_the_share_of_business_time(services):
    hours, _ = services
    # Monday 16:00: one hour Monday, then seven on Tuesday; 6 business hours is 13:00 Tuesday.
    clock = sla_clock_start(
        service_type=hours, opened_at=dt.datetime(2026, 6, 8, 16, 0, tzinfo=NEW_YORK)
    )

    assert clock.at_risk_at == dt.datetime(2026, 6, 9, 13, 0, tzinfo=NEW_YORK)
    assert clock.due_at == dt.datetime(2026, 6, 9, 15, 0, tzinfo=NEW_YORK)


@override_settings(CIVICDESK_SLA_AT_RISK_SHARE=0.5)
def test_at_risk_point_of_calendar_days_is_the_share_of_wall_time(services):
    _, days = services
    opened = dt.datetime(2026, 6, 8, 12, 0, tzinfo=NEW_YORK)

    clock = sla_clock_start(service_type=days, opened_at=opened)

    assert clock.at_risk_at == opened + dt.timedelta(days=2)


def test_resuming_a_calendar_day_clock_adds_the_wall_time_paused(services):
    _, days = services
    paused_at = dt.datetime(2026, 6, 12, 16, 0, tzinfo=NEW_YORK)
    due = dt.datetime(2026, 6, 14, 12, 0, tzinfo=NEW_YORK)

    shift = sla_clock_resume(
        service_type=days,
        paused_at=paused_at,
        resumed_at=paused_at + dt.timedelta(days=2, hours=3),
        due_at=due,
        at_risk_at=due - dt.timedelta(days=1),
    )

    assert shift.paused == dt.timedelta(days=2, hours=3)
    assert shift.due_at == due + dt.timedelta(days=2, hours=3)
    assert shift.at_risk_at == due + dt.timedelta(days=1, hours=3)


def test_resuming_a_business_hour_clock_adds_only_the_working_time_paused(services):
    hours, _ = services
    # Paused Friday 16:00 to Monday 09:00: two working hours.
    shift = sla_clock_resume(
        service_type=hours,
        paused_at=dt.datetime(2026, 6, 12, 16, 0, tzinfo=NEW_YORK),
        resumed_at=dt.datetime(2026, 6, 15, 9, 0, tzinfo=NEW_YORK),
        due_at=dt.datetime(2026, 6, 15, 12, 0, tzinfo=NEW_YORK),
        at_risk_at=None,
    )

    assert shift.paused == 2 * HOUR
    assert shift.due_at == dt.datetime(2026, 6, 15, 14, 0, tzinfo=NEW_YORK)


def test_the_department_calendar_counts_unless_the_service_has_its_own(services):
    hours, _ = services
    weekends = BusinessCalendar.objects.create(
        code="weekends", name="Weekend crew", working_hours={"sat": ["08:00", "17:00"]}
    )
    hours.default_department.calendar = weekends
    hours.default_department.save()
    friday_noon = dt.datetime(2026, 6, 12, 12, 0, tzinfo=NEW_YORK)

    # Office hours would make it due Monday 11:00; the department works Saturdays only.
    assert sla_clock_start(service_type=hours, opened_at=friday_noon).due_at == dt.datetime(
        2026, 6, 13, 16, 0, tzinfo=NEW_YORK
    )

    hours.calendar = BusinessCalendar.objects.create(
        code="office", name="Office", working_hours={day: ["08:00", "17:00"] for day in WEEKDAYS}
    )
    hours.save()
    assert sla_clock_start(service_type=hours, opened_at=friday_noon).due_at == dt.datetime(
        2026, 6, 15, 11, 0, tzinfo=NEW_YORK
    )


def test_a_case_counts_on_the_calendar_of_the_department_it_was_sent_to(services):
    from civicdesk.cases.services.opening import Location, case_open
    from civicdesk.contacts.choices import Channel

    hours, _ = services
    night_crew = Department.objects.create(
        code="nights",
        name="Night crew",
        calendar=BusinessCalendar.objects.create(
            code="always",
            name="Always",
            working_hours={day: ["00:00", "24:00"] for day in ALL_DAYS},
        ),
    )
    friday_noon = dt.datetime(2026, 6, 12, 12, 0, tzinfo=NEW_YORK)

    routed = case_open(
        service_type=hours,
        location=Location(),
        description="Deep hole",
        channel=Channel.VOICE,
        department=night_crew,
        requested_at=friday_noon,
    )
    default = case_open(
        service_type=hours,
        location=Location(),
        description="Deep hole",
        channel=Channel.VOICE,
        requested_at=friday_noon,
    )

    assert routed.sla_due_at == friday_noon + 8 * HOUR
    assert default.sla_due_at == dt.datetime(2026, 6, 15, 11, 0, tzinfo=NEW_YORK)
