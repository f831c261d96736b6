"""`civicdesk geo …`: load and maintain area boundaries and the address gazetteer."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.services import (
    GeoImportError,
    address_import_openaddresses,
    area_dissolve_jurisdiction,
    area_import_geojson,
)


class Command(BaseCommand):
    help = (
        "Manage geographic areas (districts, neighbourhoods, the jurisdiction boundary) and the "
        "address gazetteer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        import_parser = subcommands.add_parser(
            "import", help="Create or update areas from a GeoJSON file (WGS 84 long/lat)."
        )
        import_parser.add_argument("file", type=Path, help="GeoJSON FeatureCollection or Feature")
        import_parser.add_argument(
            "--kind", required=True, choices=AreaKind.values, help="what the areas are"
        )
        import_parser.add_argument(
            "--code-property", help="feature property holding the area code (default: detect)"
        )
        import_parser.add_argument(
            "--name-property", help="feature property holding the area name (default: detect)"
        )
        import_parser.add_argument(
            "--dissolve-jurisdiction",
            metavar="CODE",
            help="also store the union of all areas of this kind as the jurisdiction boundary",
        )
        import_parser.add_argument(
            "--jurisdiction-name", metavar="NAME", help="name of that jurisdiction boundary"
        )

        addresses_parser = subcommands.add_parser("addresses", help="The address gazetteer.")
        addresses = addresses_parser.add_subparsers(dest="addresses_action", required=True)
        address_import = addresses.add_parser(
            "import",
            help="Create or update addresses from an OpenAddresses CSV file (plain or gzipped).",
        )
        address_import.add_argument(
            "file", type=Path, help="CSV with LON,LAT,NUMBER,STREET,UNIT,CITY,...,ID,HASH"
        )
        address_import.add_argument(
            "--source",
            help="name stored with each address; re-imports with the same name update them "
            "(default: the file name up to its first dot)",
        )
        address_import.add_argument(
            "--no-progress", action="store_true", help="no progress bar on a terminal"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "import":
            self.handle_import(**options)
        elif options["subcommand"] == "addresses":
            self.handle_addresses_import(**options)

    def handle_addresses_import(self, **options: Any) -> None:
        path: Path = options["file"]
        source = options["source"] or path.name.split(".", 1)[0]
        try:
            summary = address_import_openaddresses(
                path=path, source=source, progress=not options["no_progress"]
            )
        except GeoImportError as error:
            raise CommandError("\n".join(error.messages)) from error
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Done."))

    def handle_import(self, **options: Any) -> None:
        path: Path = options["file"]
        kind = AreaKind(options["kind"])
        if options["jurisdiction_name"] and not options["dissolve_jurisdiction"]:
            raise CommandError("--jurisdiction-name needs --dissolve-jurisdiction CODE.")
        if options["dissolve_jurisdiction"] and kind == AreaKind.JURISDICTION:
            raise CommandError("--dissolve-jurisdiction needs a kind other than jurisdiction.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
        except ValueError as error:
            raise CommandError(f"{path} is not valid JSON: {error}") from error
        try:
            summary = area_import_geojson(
                data=data,
                kind=kind,
                code_property=options["code_property"],
                name_property=options["name_property"],
            )
        except GeoImportError as error:
            raise CommandError(
                f"{path}: nothing was imported.\n" + "\n".join(error.messages)
            ) from error
        for line in summary.lines():
            self.stdout.write(line)
        if options["dissolve_jurisdiction"]:
            code = options["dissolve_jurisdiction"]
            try:
                area = area_dissolve_jurisdiction(
                    from_kind=kind, code=code, name=options["jurisdiction_name"] or code
                )
            except GeoImportError as error:
                raise CommandError("\n".join(error.messages)) from error
            self.stdout.write(
                f"Jurisdiction boundary {area.code!r} ({area.name}) built from "
                f"{len(area.properties['source_codes'])} {kind.value} area(s)."
            )
        self.stdout.write(self.style.SUCCESS("Done."))
