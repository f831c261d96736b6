"""Public holidays from the maintained `holidays` library, for business calendars.

Dates that the library does not know (a county's own day off, a storm closure) are added to a
calendar by hand, in the catalog document or the admin.
"""

import datetime as dt
from dataclasses import dataclass

import holidays as holidays_library
from django.db import transaction
from django.utils import timezone

from civicdesk.catalog.cache import catalog_changed
from civicdesk.catalog.models import BusinessCalendar, Holiday
from civicdesk.catalog.sla import sla_cache_clear


class HolidaySourceError(ValueError):
    """A country or subdivision the library does not have."""


def default_years() -> list[int]:
    """This year and next: what a calendar needs for the requests open now."""
    year = timezone.localdate().year
    return [year, year + 1]


def holidays_from_library(
    *, country: str, subdiv: str | None = None, years: list[int] | None = None
) -> dict[dt.date, str]:
    """The public holidays of a country (and subdivision, e.g. US / MA) in the given years,
    including the library's observed days, by date."""
    try:
        found = holidays_library.country_holidays(
            country, subdiv=subdiv, years=years or default_years()
        )
    except NotImplementedError as exc:
        # The library says which of the two it does not know.
        raise HolidaySourceError(f"the holidays library says: {exc}") from exc
    return {day: str(name) for day, name in sorted(found.items())}


@dataclass(frozen=True)
class HolidayFillSummary:
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} renamed, {self.unchanged} unchanged"


def calendar_holidays_fill(
    *, calendar: BusinessCalendar, country: str, subdiv: str | None, years: list[int]
) -> HolidayFillSummary:
    """Add the library's holidays for these years to a calendar; safe to run again.

    Existing days keep their row (and take the library's name); days added by hand and days
    of other years are left alone.
    """
    found = holidays_from_library(country=country, subdiv=subdiv, years=years)
    with transaction.atomic():
        existing = {
            h.date: h
            for h in Holiday.objects.select_for_update().filter(
                calendar=calendar, date__in=list(found)
            )
        }
        new = [
            Holiday(calendar=calendar, date=day, name=name)
            for day, name in found.items()
            if day not in existing
        ]
        renamed = []
        for day, holiday in existing.items():
            if holiday.name != found[day]:
                holiday.name = found[day]
                renamed.append(holiday)
        Holiday.objects.bulk_create(new)
        Holiday.objects.bulk_update(renamed, ["name"])
        transaction.on_commit(sla_cache_clear)
        catalog_changed()
    sla_cache_clear()
    return HolidayFillSummary(
        created=len(new), updated=len(renamed), unchanged=len(existing) - len(renamed)
    )
