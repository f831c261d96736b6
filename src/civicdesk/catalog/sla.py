"""When a request is due: counting a service's SLA target on its business calendar.

Business hours are counted as real elapsed time inside each day's working window, in the
calendar's own time zone, so a window that spans a DST change is as long as the clock says.
"""

import datetime as dt
import threading
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings

from civicdesk.catalog.choices import SlaUnit
from civicdesk.catalog.models import BusinessCalendar, Department, ServiceType

K = TypeVar("K")
V = TypeVar("V")

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FALLBACK_HOURS = dict.fromkeys(_WEEKDAYS[:5], ("08:00", "17:00"))
# Other processes (workers, web servers) do not see an import's cache clear; expiring entries
# bounds how long they keep counting on an old calendar.
_CACHE_SECONDS = 300.0
# A calendar with working days always reaches the target well within this; the bound only stops
# a loop on a calendar whose every remaining day is a holiday.
_MAX_DAYS = 366 * 20


@dataclass(frozen=True)
class WorkingCalendar:
    """A business calendar reduced to what the SLA clock needs."""

    timezone: zoneinfo.ZoneInfo
    # Weekday (Monday = 0) to opening and closing time; 24:00 closes at the next midnight.
    hours: dict[int, tuple[dt.time, dt.time | None]]
    holidays: frozenset[dt.date]

    def window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The working window of a local day in UTC, or None on a day off."""
        hours = self.hours.get(day.weekday())
        if hours is None or day in self.holidays:
            return None
        opens, closes = hours
        start = dt.datetime.combine(day, opens, tzinfo=self.timezone)
        end = (
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.timezone)
            if closes is None
            else dt.datetime.combine(day, closes, tzinfo=self.timezone)
        )
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _parse_hours(
    working_hours: dict[str, list[str]] | dict[str, tuple[str, str]],
) -> dict[int, tuple[dt.time, dt.time | None]]:
    result: dict[int, tuple[dt.time, dt.time | None]] = {}
    for index, day in enumerate(_WEEKDAYS):
        hours = working_hours.get(day)
        if not hours:
            continue
        opens, closes = hours
        result[index] = (
            dt.time.fromisoformat(opens),
            None if closes == "24:00" else dt.time.fromisoformat(closes),
        )
    return result


def _compile(calendar: BusinessCalendar | None) -> WorkingCalendar:
    if calendar is None:
        return WorkingCalendar(
            timezone=zoneinfo.ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE),
            hours=_parse_hours(_FALLBACK_HOURS),
            holidays=frozenset(),
        )
    return WorkingCalendar(
        timezone=zoneinfo.ZoneInfo(calendar.timezone),
        hours=_parse_hours(calendar.working_hours),
        holidays=frozenset(calendar.holidays.values_list("date", flat=True)),
    )


_cache: dict[int | None, tuple[float, WorkingCalendar]] = {}
_department_calendar_ids: dict[int, tuple[float, int | None]] = {}
_cache_lock = threading.Lock()


def sla_cache_clear() -> None:
    """Forget cached calendars; catalog_import calls this so new hours and holidays count."""
    with _cache_lock:
        _cache.clear()
        _department_calendar_ids.clear()


def _remembered(store: dict[K, tuple[float, V]], key: K, load: Callable[[], V]) -> V:
    """`store[key]` while it is younger than _CACHE_SECONDS, else a fresh `load()`."""
    now = time.monotonic()
    with _cache_lock:
        cached = store.get(key)
    if cached is not None and now - cached[0] < _CACHE_SECONDS:
        return cached[1]
    value = load()
    with _cache_lock:
        store[key] = (now, value)
    return value


def _calendar_load(calendar_id: int | None) -> WorkingCalendar:
    if calendar_id is None:
        return _compile(BusinessCalendar.objects.filter(is_default=True).first())
    return _compile(BusinessCalendar.objects.get(pk=calendar_id))


def working_calendar_get(*, calendar_id: int | None) -> WorkingCalendar:
    """The calendar with this id, or for None the default calendar (or Mon-Fri 08:00-17:00)."""
    return _remembered(_cache, calendar_id, lambda: _calendar_load(calendar_id))


def _department_calendar_id(department_id: int) -> int | None:
    return _remembered(
        _department_calendar_ids,
        department_id,
        lambda: (
            Department.objects.filter(pk=department_id)
            .values_list("calendar_id", flat=True)
            .first()
        ),
    )


def sla_calendar(*, service_type: ServiceType, department_id: int | None = None) -> WorkingCalendar:
    """The calendar a request's clock counts on: the service type's own, else the calendar of
    its department (`department_id`, by default the service's default department), else the
    default calendar."""
    if service_type.calendar_id is not None:
        return working_calendar_get(calendar_id=service_type.calendar_id)
    department_id = department_id or service_type.default_department_id
    calendar_id = _department_calendar_id(department_id) if department_id else None
    return working_calendar_get(calendar_id=calendar_id)


def business_time_add(
    *, calendar: WorkingCalendar, start: dt.datetime, duration: dt.timedelta
) -> dt.datetime:
    """The moment `duration` of working time after `start` has passed on the calendar, in UTC.

    A zero duration from outside working hours stays at `start`: nothing has to be counted.
    """
    remaining = duration
    cursor = start.astimezone(dt.UTC)
    if remaining <= dt.timedelta(0):
        return cursor
    day = cursor.astimezone(calendar.timezone).date()
    for _ in range(_MAX_DAYS):
        window = calendar.window(day)
        day += dt.timedelta(days=1)
        if window is None or cursor >= window[1]:
            continue
        begin = max(cursor, window[0])
        available = window[1] - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
        cursor = window[1]
    raise ValueError("The business calendar has no working time left to count the SLA on.")


def business_time_between(
    *, calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime
) -> dt.timedelta:
    """Working time on the calendar from `start` to `end` (zero when `end` is not later)."""
    begin = start.astimezone(dt.UTC)
    finish = end.astimezone(dt.UTC)
    total = dt.timedelta(0)
    if finish <= begin:
        return total
    day = begin.astimezone(calendar.timezone).date()
    last_day = finish.astimezone(calendar.timezone).date()
    while day <= last_day:
        window = calendar.window(day)
        day += dt.timedelta(days=1)
        if window is None:
            continue
        overlap = min(window[1], finish) - max(window[0], begin)
        if overlap > dt.timedelta(0):
            total += overlap
    return total


def sla_due_at(
    *, service_type: ServiceType, opened_at: dt.datetime, department_id: int | None = None
) -> dt.datetime | None:
    """When a request of this type opened at `opened_at` and worked by `department_id` (by
    default the service's default department) is due (aware UTC), or None if no SLA."""
    if service_type.sla_value is None or not service_type.sla_unit:
        return None
    if opened_at.tzinfo is None or opened_at.utcoffset() is None:
        raise ValueError("opened_at must be timezone-aware.")
    calendar = sla_calendar(service_type=service_type, department_id=department_id)
    if service_type.sla_unit == SlaUnit.CALENDAR_DAYS:
        # Wall-clock days in the calendar's zone: due at the same local time N days later,
        # even when a DST change makes one of those days 23 or 25 hours long.
        local = opened_at.astimezone(calendar.timezone)
        return (local + dt.timedelta(days=service_type.sla_value)).astimezone(dt.UTC)
    return business_time_add(
        calendar=calendar, start=opened_at, duration=dt.timedelta(hours=service_type.sla_value)
    )


def sla_at_risk_share() -> float:
    """The share of the SLA time after which an open case counts as at risk (0 < share < 1)."""
    share = float(settings.CIVICDESK_SLA_AT_RISK_SHARE)
    if not 0 < share < 1:
        raise ValueError("CIVICDESK_SLA_AT_RISK_SHARE must be between 0 and 1, e.g. 0.75.")
    return share


@dataclass(frozen=True)
class SlaClock:
    """A case's SLA clock as it starts: when it is due and when it turns at risk (UTC)."""

    due_at: dt.datetime | None
    at_risk_at: dt.datetime | None


def sla_clock_start(
    *, service_type: ServiceType, opened_at: dt.datetime, department_id: int | None = None
) -> SlaClock:
    """Due and at-risk times for a request opened at `opened_at`; both None without a target.

    The at-risk point is the configured share of the target counted the same way as the
    target: that share of the working time for business-hour targets, of the wall-clock span
    for calendar-day targets.
    """
    due_at = sla_due_at(service_type=service_type, opened_at=opened_at, department_id=department_id)
    if due_at is None:
        return SlaClock(due_at=None, at_risk_at=None)
    share = sla_at_risk_share()
    if service_type.sla_unit == SlaUnit.CALENDAR_DAYS:
        at_risk_at = opened_at.astimezone(dt.UTC) + (due_at - opened_at) * share
    else:
        calendar = sla_calendar(service_type=service_type, department_id=department_id)
        target = dt.timedelta(hours=service_type.sla_value or 0)
        at_risk_at = business_time_add(calendar=calendar, start=opened_at, duration=target * share)
    return SlaClock(due_at=due_at, at_risk_at=min(at_risk_at, due_at))


@dataclass(frozen=True)
class SlaShift:
    """How far a pause moved a case's clock: the paused time as the clock counts it."""

    paused: dt.timedelta
    due_at: dt.datetime | None
    at_risk_at: dt.datetime | None


def sla_clock_resume(
    *,
    service_type: ServiceType,
    paused_at: dt.datetime,
    resumed_at: dt.datetime,
    due_at: dt.datetime | None,
    at_risk_at: dt.datetime | None,
    department_id: int | None = None,
) -> SlaShift:
    """Push the due and at-risk times forward by the time the clock stood still.

    Business-hour targets move by the working time of the pause, so a pause over a weekend
    moves nothing and a pause of one working hour moves the due time one working hour on.
    Calendar-day targets move by the wall-clock length of the pause.
    """
    if due_at is None or not service_type.sla_unit:
        return SlaShift(paused=dt.timedelta(0), due_at=due_at, at_risk_at=at_risk_at)
    if service_type.sla_unit == SlaUnit.CALENDAR_DAYS:
        paused = max(resumed_at - paused_at, dt.timedelta(0))
        return SlaShift(
            paused=paused,
            due_at=(due_at + paused).astimezone(dt.UTC),
            at_risk_at=(at_risk_at + paused).astimezone(dt.UTC) if at_risk_at else None,
        )
    calendar = sla_calendar(service_type=service_type, department_id=department_id)
    paused = business_time_between(calendar=calendar, start=paused_at, end=resumed_at)
    return SlaShift(
        paused=paused,
        due_at=business_time_add(calendar=calendar, start=due_at, duration=paused),
        at_risk_at=(
            business_time_add(calendar=calendar, start=at_risk_at, duration=paused)
            if at_risk_at
            else None
        ),
    )
