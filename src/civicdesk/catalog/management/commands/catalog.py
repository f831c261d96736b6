"""`civicdesk catalog import FILE` and `civicdesk catalog export`: the catalog as one document."""

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.catalog.services import CatalogImportError, catalog_export, catalog_import

_YAML_SUFFIXES = {".yaml", ".yml"}


def _load(path: Path) -> Any:
    suffix = path.suffix.lower()
    if suffix not in _YAML_SUFFIXES | {".json"}:
        raise CommandError(f"{path}: use a .yaml, .yml or .json file.")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror or exc}") from exc
    try:
        return json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise CommandError(f"{path}: not valid {suffix[1:].upper()}: {exc}") from exc


def _dump(document: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


class Command(BaseCommand):
    help = "Import or export the service catalog as one YAML or JSON document."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        importing = actions.add_parser(
            "import", help="Create or update the catalog from a .yaml, .yml or .json file."
        )
        importing.add_argument("file", type=Path)
        exporting = actions.add_parser("export", help="Write the whole catalog as one document.")
        exporting.add_argument(
            "--format",
            choices=["yaml", "json"],
            help="Defaults to the --output file's extension, else yaml.",
        )
        exporting.add_argument("--output", type=Path, help="Write here instead of stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options["file"])
        else:
            self._export(options["format"], options["output"])

    def _import(self, path: Path) -> None:
        document = _load(path)
        try:
            summary = catalog_import(data=document)
        except CatalogImportError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{path}: {len(exc.messages)} problem(s); nothing was imported."
            ) from exc
        self.stdout.write(f"Imported {path}:")
        for line in summary.lines():
            self.stdout.write(f"  {line}")

    def _export(self, fmt: str | None, output: Path | None) -> None:
        if fmt is None:
            fmt = "json" if output is not None and output.suffix.lower() == ".json" else "yaml"
        text = _dump(catalog_export(), fmt)
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote the catalog to {output}.")
