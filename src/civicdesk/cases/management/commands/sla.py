"""`civicdesk sla sweep`, `civicdesk sla status REFERENCE` and `civicdesk sla report`: the SLA
clock and compliance from the shell."""

import datetime as dt
from typing import Any, get_args

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civicdesk.cases.reports import ComplianceGroup, ComplianceRow, sla_compliance
from civicdesk.cases.selectors import case_get_by_reference, case_sla_events
from civicdesk.cases.services.sla import sla_sweep


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z") if value else "-"


def _local_date(value: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date such as 2026-01-31.") from error
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0)))


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


class Command(BaseCommand):
    help = "Run the SLA sweep now, or show where one request's SLA clock stands."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{sweep,status,report}"
        )
        actions.add_parser(
            "sweep", help="Mark open cases at risk or breached and escalate them (safe to repeat)."
        )
        status = actions.add_parser("status", help="Show one request's SLA clock and its events.")
        status.add_argument("reference")
        report = actions.add_parser(
            "report",
            help="SLA compliance of the requests due in a period, per department, service type, "
            "district or provider.",
        )
        report.add_argument(
            "--by", choices=get_args(ComplianceGroup), default="department", help="Group by."
        )
        report.add_argument(
            "--start", type=_local_date, help="First day (YYYY-MM-DD); default 30 days ago."
        )
        report.add_argument(
            "--end", type=_local_date, help="Day after the last (YYYY-MM-DD); default tomorrow."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "report":
            self._report(options)
            return
        if options["action"] == "sweep":
            result = sla_sweep()
            self.stdout.write(f"SLA sweep: {result}.")
            if result.unsupervised_departments:
                self.stderr.write(
                    f"{len(result.unsupervised_departments)} department(s) have no supervisor; "
                    "set one in the catalog admin so escalations reach a person."
                )
            return
        case = case_get_by_reference(options["reference"])
        if case is None:
            raise CommandError(f"No request has the reference {options['reference']!r}.")
        target = (
            f"{case.service_type.sla_value} {case.service_type.get_sla_unit_display().lower()}"
            if case.service_type.sla_value
            else "none"
        )
        rows = [
            ("Request", f"{case.reference} ({case.get_status_display()})"),
            ("Service", f"{case.service_type.name}; target {target}"),
            ("SLA state", case.get_sla_state_display()),
            ("Opened", _when(case.requested_at)),
            ("At risk from", _when(case.sla_at_risk_at)),
            ("Due", _when(case.sla_due_at)),
            ("Paused since", _when(case.sla_paused_at)),
            ("Closed", _when(case.closed_at)),
        ]
        for label, value in rows:
            self.stdout.write(f"{label + ':':<14}{value}")
        for event in case_sla_events(case):
            self.stdout.write(f"  {_when(event.created_at)}  {event.get_kind_display()}")

    def _report(self, options: dict[str, Any]) -> None:
        today = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(0)))
        start = options["start"] or today - dt.timedelta(days=30)
        end = options["end"] or today + dt.timedelta(days=1)
        if end <= start:
            raise CommandError("--end must be after --start.")
        rows = sla_compliance(start=start, end=end, by=options["by"])
        self.stdout.write(
            f"SLA compliance of requests due {start:%Y-%m-%d} to {end:%Y-%m-%d} (end excluded),"
            f" by {options['by'].replace('_', ' ')}"
        )
        header = ("", "due", "met", "missed", "open", "compliance", "median h", "p90 h")
        width = max([len(row.label) for row in rows] + [12])
        self.stdout.write(
            f"{header[0]:<{width}} " + " ".join(f"{title:>10}" for title in header[1:])
        )
        met = sum(row.met for row in rows)
        missed = sum(row.missed for row in rows)
        total = ComplianceRow(
            key=None,
            label="all",
            due=sum(row.due for row in rows),
            met=met,
            missed=missed,
            open_not_yet_due=sum(row.open_not_yet_due for row in rows),
            compliance_rate=met / (met + missed) if met + missed else None,
            median_hours_to_close=None,
            p90_hours_to_close=None,
        )
        for row in [*rows, total]:
            cells = (
                f"{row.due:,}",
                f"{row.met:,}",
                f"{row.missed:,}",
                f"{row.open_not_yet_due:,}",
                _share(row.compliance_rate),
                _hours(row.median_hours_to_close),
                _hours(row.p90_hours_to_close),
            )
            self.stdout.write(f"{row.label:<{width}} " + " ".join(f"{c:>10}" for c in cells))
