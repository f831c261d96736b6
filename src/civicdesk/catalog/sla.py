"""When a request is due: counting a service's SLA target on its business calendar.

Business hours are counted as real elapsed time inside each day's working window, in the
calendar's own time zone, so a window that spans a DST change is as long as the clock says.
"""

import datetime as dt
import threading
import time
import zoneinfo
from dataclasses import dataclass

from django.conf import settings

from civicdesk.catalog.choices import SlaUnit
from civicdesk.catalog.models import BusinessCalendar, ServiceType

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
_cache_lock = threading.Lock()


def sla_cache_clear() -> None:
    """Forget cached calendars; catalog_import calls this so new hours and holidays count."""
    with _cache_lock:
        _cache.clear()


def working_calendar_get(*, calendar_id: int | None) -> WorkingCalendar:
    """The calendar with this id, or for None the default calendar (or Mon-Fri 08:00-17:00)."""
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get(calendar_id)
    if cached is not None and now - cached[0] < _CACHE_SECONDS:
        return cached[1]
    if calendar_id is None:
        calendar = BusinessCalendar.objects.filter(is_default=True).first()
    else:
        calendar = BusinessCalendar.objects.get(pk=calendar_id)
    compiled = _compile(calendar)
    with _cache_lock:
        _cache[calendar_id] = (now, compiled)
    return compiled


def business_hours_add(*, calendar: WorkingCalendar, start: dt.datetime, hours: int) -> dt.datetime:
    """The moment `hours` working hours after `start` have passed on the calendar, in UTC."""
    remaining = dt.timedelta(hours=hours)
    cursor = start.astimezone(dt.UTC)
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


def sla_due_at(*, service_type: ServiceType, opened_at: dt.datetime) -> dt.datetime | None:
    """When a request of this type opened at `opened_at` is due (aware UTC), or None if no SLA."""
    if service_type.sla_value is None or not service_type.sla_unit:
        return None
    if opened_at.tzinfo is None or opened_at.utcoffset() is None:
        raise ValueError("opened_at must be timezone-aware.")
    calendar = working_calendar_get(calendar_id=service_type.calendar_id)
    if service_type.sla_unit == SlaUnit.CALENDAR_DAYS:
        # Wall-clock days in the calendar's zone: due at the same local time N days later,
        # even when a DST change makes one of those days 23 or 25 hours long.
        local = opened_at.astimezone(calendar.timezone)
        return (local + dt.timedelta(days=service_type.sla_value)).astimezone(dt.UTC)
    return business_hours_add(calendar=calendar, start=opened_at, hours=service_type.sla_value)
