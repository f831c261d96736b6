"""`civicdesk calendar holidays --calendar CODE --country US --subdiv MA --years 2026 2027`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.catalog.holidays import HolidaySourceError, calendar_holidays_fill, default_years
from civicdesk.catalog.models import BusinessCalendar


class Command(BaseCommand):
    help = "Business calendars: fill a calendar's holidays from the holidays library."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{holidays}")
        fill = actions.add_parser(
            "holidays",
            help="Add a country's (and region's) public holidays to a calendar; safe to repeat.",
        )
        fill.add_argument("--calendar", required=True, help="The calendar's code.")
        fill.add_argument("--country", required=True, help="ISO country code, e.g. US.")
        fill.add_argument("--subdiv", help="State or region code, e.g. MA.")
        fill.add_argument("--years", type=int, nargs="+", help="Defaults to this year and next.")

    def handle(self, *args: Any, **options: Any) -> None:
        calendar = BusinessCalendar.objects.filter(code=options["calendar"]).first()
        if calendar is None:
            known = ", ".join(BusinessCalendar.objects.values_list("code", flat=True)) or "none"
            raise CommandError(f"No calendar {options['calendar']!r}; calendars: {known}.")
        years = options["years"] or default_years()
        try:
            summary = calendar_holidays_fill(
                calendar=calendar,
                country=options["country"],
                subdiv=options["subdiv"],
                years=years,
            )
        except HolidaySourceError as exc:
            raise CommandError(str(exc)) from exc
        region = (
            f"{options['country']}/{options['subdiv']}" if options["subdiv"] else options["country"]
        )
        self.stdout.write(
            f"{calendar.code}: holidays of {region} for {', '.join(map(str, years))}: {summary}."
        )
