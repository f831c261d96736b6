import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicdesk.catalog.models import Department, ServiceType
from civicdesk.catalog.services import catalog_import
from civicdesk.catalog.sla import sla_due_at

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC


def ny(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def catalog(document):
    document["calendars"].append(
        {
            "code": "always",
            "name": "24/7",
            "timezone": "America/New_York",
            "working_hours": {
                d: ["00:00", "24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            },
        }
    )
    document["service_types"] += [
        {
            "code": "heat",
            "name": "No heat",
            "department": "pw",
            "calendar": "always",
            "sla": {"value": 24, "unit": "business_hours"},
        },
        {
            "code": "sign",
            "name": "Sign",
            "department": "pw",
            "sla": {"value": 1, "unit": "calendar_days"},
        },
    ]
    catalog_import(data=document)
    return document


def service(code: str, hours: int | None = None) -> ServiceType:
    service_type = ServiceType.objects.get(code=code)
    if hours is not None:
        service_type.sla_value = hours
    return service_type


def test_friday_afternoon_request_carries_over_to_monday(catalog):
    due = sla_due_at(service_type=service("pothole", 4), opened_at=ny(2025, 6, 13, 15, 0))

    assert due == ny(2025, 6, 16, 10, 0)
    assert due.tzinfo == UTC


def test_holiday_is_skipped(catalog):
    # Thursday before Independence Day: one hour Thursday, then Friday is a holiday.
    due = sla_due_at(service_type=service("pothole", 2), opened_at=ny(2025, 7, 3, 16, 0))

    assert due == ny(2025, 7, 7, 9, 0)


def test_business_hours_are_local_across_the_spring_dst_change(catalog):
    # Clocks go forward on Sunday 9 March 2025; Monday still opens at 08:00 local time.
    due = sla_due_at(service_type=service("pothole", 2), opened_at=ny(2025, 3, 7, 16, 0))

    assert due == utc(2025, 3, 10, 13, 0)
    assert due.astimezone(NEW_YORK).hour == 9


def test_around_the_clock_counts_real_hours_across_the_dst_change(catalog):
    due = sla_due_at(service_type=service("heat"), opened_at=ny(2025, 3, 8, 12, 0))

    assert due == utc(2025, 3, 8, 17, 0) + dt.timedelta(hours=24)


def test_calendar_days_keep_the_local_time_across_the_autumn_dst_change(catalog):
    due = sla_due_at(service_type=service("sign"), opened_at=ny(2025, 11, 1, 12, 0))

    assert due == ny(2025, 11, 2, 12, 0)
    assert due - ny(2025, 11, 1, 12, 0) == dt.timedelta(hours=25)


def test_target_reached_exactly_at_closing_is_due_at_closing(catalog):
    due = sla_due_at(service_type=service("pothole", 9), opened_at=ny(2025, 6, 9, 8, 0))

    assert due == ny(2025, 6, 9, 17, 0)


def test_request_opened_before_opening_or_on_a_weekend_starts_at_opening(catalog):
    early = sla_due_at(service_type=service("pothole", 1), opened_at=ny(2025, 6, 9, 6, 0))
    weekend = sla_due_at(service_type=service("pothole", 1), opened_at=ny(2025, 6, 14, 11, 0))

    assert early == ny(2025, 6, 9, 9, 0)
    assert weekend == ny(2025, 6, 16, 9, 0)


def test_long_target_spans_weeks(catalog):
    # 48 business hours = 5 days and 3 hours of 9-hour days, from Monday 08:00.
    due = sla_due_at(service_type=service("pothole"), opened_at=ny(2025, 6, 9, 8, 0))

    assert due == ny(2025, 6, 16, 11, 0)


def test_no_sla_means_no_due_time(catalog):
    assert sla_due_at(service_type=service("tree"), opened_at=ny(2025, 6, 9, 8, 0)) is None


def test_naive_opened_at_is_refused(catalog):
    with pytest.raises(ValueError, match="timezone-aware"):
        sla_due_at(service_type=service("pothole"), opened_at=dt.datetime(2025, 6, 9, 8, 0))


def test_without_any_calendar_uses_weekday_office_hours_in_the_jurisdiction_zone():
    department = Department.objects.create(code="d", name="D")
    service_type = ServiceType.objects.create(
        code="s", name="S", default_department=department, sla_value=3, sla_unit="business_hours"
    )

    due = sla_due_at(service_type=service_type, opened_at=ny(2025, 7, 4, 16, 0))

    # No holidays without a calendar: Friday 4 July counts, 16:00-17:00, then Monday 08-10.
    assert due == ny(2025, 7, 7, 10, 0)


def test_new_holiday_counts_as_soon_as_the_catalog_is_imported(catalog):
    opened = ny(2025, 6, 13, 15, 0)
    assert sla_due_at(service_type=service("pothole", 4), opened_at=opened) == ny(
        2025, 6, 16, 10, 0
    )
    catalog["calendars"][0]["holidays"].append({"date": "2025-06-16", "name": "Storm closure"})

    catalog_import(data=catalog)

    assert sla_due_at(service_type=service("pothole", 4), opened_at=opened) == ny(
        2025, 6, 17, 10, 0
    )


def test_calendar_is_read_once_for_many_cases(catalog, django_assert_max_num_queries):
    service_type = service("pothole")
    start = ny(2025, 1, 2, 9, 0)
    sla_due_at(service_type=service_type, opened_at=start)

    with django_assert_max_num_queries(0):
        for minutes in range(0, 2000 * 37, 37):
            sla_due_at(service_type=service_type, opened_at=start + dt.timedelta(minutes=minutes))


def test_due_is_never_early_and_grows_with_the_target(catalog):
    services = [service("pothole"), service("heat"), service("sign")]

    @settings(max_examples=300, deadline=None)
    @given(
        opened=st.datetimes(
            min_value=dt.datetime(2024, 1, 1),
            max_value=dt.datetime(2027, 12, 31),
            timezones=st.sampled_from([UTC, NEW_YORK, ZoneInfo("Asia/Kolkata")]),
        ),
        index=st.integers(0, 2),
        smaller=st.integers(1, 300),
        extra=st.integers(0, 300),
    )
    def check(opened, index, smaller, extra):
        service_type = services[index]
        service_type.sla_value = smaller
        first = sla_due_at(service_type=service_type, opened_at=opened)
        service_type.sla_value = smaller + extra
        second = sla_due_at(service_type=service_type, opened_at=opened)
        assert first is not None and second is not None
        assert first > opened
        assert first <= second
        assert first.tzinfo == UTC

    check()
