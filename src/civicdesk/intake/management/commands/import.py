"""`civicdesk import open311|nyc311 FILE`: load published 311 requests as historical cases.

Skipped rows are reported and do not fail the command; a file or mapping that cannot be read
does (CommandError, non-zero exit).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.intake.importers import (
    ImportReport,
    MappingError,
    SourceFileError,
    import_nyc311,
    import_open311,
    load_mapping,
)

DEMO_MAPPINGS = Path(__file__).resolve().parents[3] / "demo" / "mappings"
DEFAULT_MAPPINGS = {
    "open311": DEMO_MAPPINGS / "boston-open311.yaml",
    "nyc311": DEMO_MAPPINGS / "nyc311.yaml",
}
IMPORTERS = {"open311": import_open311, "nyc311": import_nyc311}


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Import published 311 requests (Open311 GeoReport v2, NYC 311) as historical cases."

    def add_arguments(self, parser: CommandParser) -> None:
        formats = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
        descriptions = {
            "open311": "Open311 GeoReport v2 requests: JSON array or CSV, optionally gzipped.",
            "nyc311": "NYC 311 Service Requests CSV (portal or Socrata columns), maybe gzipped.",
        }
        for name, description in descriptions.items():
            sub = formats.add_parser(name, help=description, description=description)
            sub.add_argument("file", type=Path, help="the file to import")
            sub.add_argument(
                "--mapping",
                type=Path,
                default=DEFAULT_MAPPINGS[name],
                help="category mapping YAML (default: the demo mapping for this format)",
            )
            sub.add_argument(
                "--source",
                default=name,
                help=f"name stored on each case; a re-run skips what it has (default: {name})",
            )
            sub.add_argument("--limit", type=_positive, help="read at most N rows")
            sub.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            mapping = load_mapping(options["mapping"])
            report: ImportReport = IMPORTERS[options["format"]](
                path=options["file"],
                mapping=mapping,
                source=options["source"],
                progress=not options["no_progress"],
                limit=options["limit"],
            )
        except (MappingError, SourceFileError, ValueError) as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
