"""`civicdesk assistant emergency-evaluate [--file F ...]`: measure the emergency detector on
labelled sentences (precision, recall and F1 per language and overall, misses, false alarms)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

import civicdesk
from civicdesk.assistant.emergency import warm_up
from civicdesk.assistant.emergency_evaluation import (
    LabelledFileError,
    evaluate,
    evaluation_report,
    labelled_read,
)

# The labelled sets kept with the tests: the one the rules were tuned on, and the held-out one
# written before any tuning. A checkout has them; an installed package has only --file.
TEST_DATA = Path(civicdesk.__file__).resolve().parents[2] / "tests" / "assistant" / "data"
DEFAULT_FILES = ("emergency_sentences.csv", "emergency_heldout.csv")


class Command(BaseCommand):
    help = "Assistant tools: measure the emergency detector on labelled sentences."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{emergency-evaluate}"
        )
        evaluating = actions.add_parser(
            "emergency-evaluate",
            help="Precision, recall and F1 of emergency detection on labelled CSV files.",
        )
        evaluating.add_argument(
            "--file",
            dest="files",
            action="append",
            type=Path,
            help=(
                "A CSV with text, language, label (emergency or routine) and category; "
                "repeat for more. Default: the labelled and held-out sets in tests/assistant/data."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "emergency-evaluate":
            self._evaluate(options["files"] or self._default_files())

    def _default_files(self) -> list[Path]:
        files = [TEST_DATA / name for name in DEFAULT_FILES]
        if not all(path.is_file() for path in files):
            raise CommandError(f"No labelled sets in {TEST_DATA}; give one with --file.")
        return files

    def _evaluate(self, files: list[Path]) -> None:
        warm_up()
        for number, path in enumerate(files):
            try:
                sentences = labelled_read(path)
            except LabelledFileError as error:
                raise CommandError(str(error)) from error
            if number:
                self.stdout.write("")
            for line in evaluation_report(path.name, evaluate(sentences)):
                self.stdout.write(line)
