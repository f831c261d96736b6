"""`civicdesk demo`: a working demo jurisdiction in one command, safe to run again."""

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from civicdesk.core.demo import (
    DEMO_OPEN311_MAPPING,
    DEMO_OPEN311_SAMPLE,
    DEMO_PASSWORD,
    demo_addresses_load,
    demo_catalog_load,
    demo_classifier_train,
    demo_districts_load,
    demo_staff_ensure,
)
from civicdesk.intake.importers import import_open311, load_mapping
from civicdesk.knowledge.demo import knowledge_demo_load


class Command(BaseCommand):
    help = "Load the demo jurisdiction (catalog, districts, real 311 history, staff) and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Load the data, then exit.")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args: Any, **options: Any) -> None:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write(self.style.MIGRATE_HEADING("Database"))
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"  {settings.DATABASES['default']['NAME']} is up to date")

        self.stdout.write(self.style.MIGRATE_HEADING("Service catalog"))
        self.stdout.write(f"  {demo_catalog_load()}")

        self.stdout.write(self.style.MIGRATE_HEADING("Districts"))
        self.stdout.write(f"  {demo_districts_load()}")

        self.stdout.write(self.style.MIGRATE_HEADING("Addresses (search gazetteer)"))
        for line in demo_addresses_load().lines():
            self.stdout.write(f"  {line}")

        self.stdout.write(self.style.MIGRATE_HEADING("Historical requests (Boston Open311)"))
        report = import_open311(
            path=DEMO_OPEN311_SAMPLE,
            mapping=load_mapping(DEMO_OPEN311_MAPPING),
            source="boston-open311",
            progress=True,
        )
        for line in report.lines():
            self.stdout.write(f"  {line}")

        self.stdout.write(self.style.MIGRATE_HEADING("Knowledge base"))
        for name, knowledge_report in knowledge_demo_load().items():
            self.stdout.write(f"  {name}: {knowledge_report}")

        self.stdout.write(self.style.MIGRATE_HEADING("Text classifier (service type suggestions)"))
        for line in demo_classifier_train():
            self.stdout.write(f"  {line}")

        self.stdout.write(self.style.MIGRATE_HEADING("Staff accounts"))
        for account, created in demo_staff_ensure():
            note = "created" if created else "exists, password unchanged"
            self.stdout.write(f"  {account.username:<11} {account.role} ({note})")

        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("CivicDesk demo is ready."))
        self.stdout.write(f"  Home:    {url}")
        self.stdout.write(
            f"  Admin:   {url}admin/  (admin / {DEMO_PASSWORD}; "
            "also supervisor, agent, dpw, editor, publisher)"
        )
        self.stdout.write(f"  Health:  {url}health")
        if options["no_serve"]:
            return
        self.stdout.write("  Press Ctrl+C to stop.\n")
        self.stdout.flush()
        call_command("serve", host=options["host"], port=options["port"])
