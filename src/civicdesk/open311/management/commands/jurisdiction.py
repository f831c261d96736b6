"""`civicdesk jurisdiction list|add|remove`: the jurisdictions served over Open311."""

import argparse
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from civicdesk.catalog.selectors import service_type_list_public
from civicdesk.open311.models import Jurisdiction
from civicdesk.open311.services import jurisdiction_remove, jurisdiction_save


class Command(BaseCommand):
    help = "List, add (or change) and remove the jurisdictions served over Open311."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{list,add,remove}")
        actions.add_parser("list", help="Id, name, state, boundary and number of services.")
        adding = actions.add_parser(
            "add",
            help="Add a jurisdiction, or change the one with this id (what is not given stays).",
        )
        adding.add_argument("jurisdiction_id", help="What clients send, e.g. springfield.gov.")
        adding.add_argument("--name", help="Its name (needed for a new one).")
        adding.add_argument(
            "--boundary",
            metavar="AREA_CODE",
            help="Code of a loaded area of the kind jurisdiction; '' for none.",
        )
        offered = adding.add_mutually_exclusive_group()
        offered.add_argument(
            "--services", metavar="CODES", help="Comma-separated service codes; replaces the list."
        )
        offered.add_argument(
            "--all-services",
            action="store_true",
            help="Every public service of the catalog as it is now.",
        )
        adding.add_argument(
            "--active",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Serve it (default for a new one), or keep it but answer 404 (--no-active).",
        )
        removing = actions.add_parser(
            "remove", help="Stop serving a jurisdiction; its requests keep their id."
        )
        removing.add_argument("jurisdiction_id")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            self._add(options)
        elif options["action"] == "remove":
            self._remove(options["jurisdiction_id"])
        self._list(quiet=options["action"] != "list")

    def _add(self, options: dict[str, Any]) -> None:
        codes: list[str] | None = None
        if options["all_services"]:
            codes = [service.code for service in service_type_list_public()]
        elif options["services"] is not None:
            codes = [code.strip() for code in options["services"].split(",") if code.strip()]
        try:
            jurisdiction, created = jurisdiction_save(
                jurisdiction_id=options["jurisdiction_id"],
                name=options["name"],
                boundary_code=options["boundary"],
                service_codes=codes,
                is_active=options["active"],
            )
        except ValidationError as error:
            raise CommandError(
                "\n".join(
                    f"{name}: {message}"
                    for name, messages in error.message_dict.items()
                    for message in messages
                )
            ) from error
        verb = "Added" if created else "Changed"
        self.stderr.write(f"{verb} {jurisdiction.jurisdiction_id} ({jurisdiction.name}).")

    def _remove(self, jurisdiction_id: str) -> None:
        try:
            jurisdiction = jurisdiction_remove(jurisdiction_id=jurisdiction_id)
        except Jurisdiction.DoesNotExist as error:
            raise CommandError(f"No jurisdiction has the id {jurisdiction_id!r}.") from error
        self.stderr.write(f"Removed {jurisdiction.jurisdiction_id} ({jurisdiction.name}).")

    def _list(self, *, quiet: bool) -> None:
        rows = list(
            Jurisdiction.objects.select_related("boundary")
            .annotate(service_count=Count("services"))
            .order_by("jurisdiction_id")
        )
        if not quiet:
            for row in rows:
                state = "active" if row.is_active else "inactive"
                boundary = f"boundary {row.boundary.code}" if row.boundary else "no boundary"
                self.stdout.write(
                    f"{row.jurisdiction_id}\t{row.name}\t{state}\t{boundary}\t"
                    f"services: {row.service_count}"
                )
        active = [row.jurisdiction_id for row in rows if row.is_active]
        default = str(settings.CIVICDESK_JURISDICTION_ID)
        if len(active) < 2:
            accepted = ", ".join(f"'{value}'" for value in sorted({default, *active}))
            self.stderr.write(
                f"One jurisdiction served: jurisdiction_id is optional ({accepted} accepted) and "
                "every public service is offered, anywhere inside the jurisdiction boundaries."
            )
            return
        self.stderr.write(f"{len(active)} jurisdictions: every Open311 call must name one of them.")
        if default not in active:
            self.stderr.write(
                f"Warning: none is '{default}' (CIVICDESK_JURISDICTION_ID), the jurisdiction of "
                "requests made before and of those from the other channels; they show in no "
                "Open311 list until it is served."
            )
