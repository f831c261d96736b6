"""`civicdesk sla sweep` and `civicdesk sla status REFERENCE`: the SLA clock from the shell."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civicdesk.cases.selectors import case_get_by_reference, case_sla_events
from civicdesk.cases.services.sla import sla_sweep


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z") if value else "-"


class Command(BaseCommand):
    help = "Run the SLA sweep now, or show where one request's SLA clock stands."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{sweep,status}")
        actions.add_parser(
            "sweep", help="Mark open cases at risk or breached and escalate them (safe to repeat)."
        )
        status = actions.add_parser("status", help="Show one request's SLA clock and its events.")
        status.add_argument("reference")

    def handle(self, *args: Any, **options: Any) -> None:
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
