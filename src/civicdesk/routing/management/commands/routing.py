"""`civicdesk routing …`: train, measure, list, activate and try the text classifier."""

from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicdesk.routing.choices import TrainingSource
from civicdesk.routing.classifier import classify
from civicdesk.routing.datasets import (
    Dataset,
    DatasetError,
    dataset_from_csv,
    label_map_load,
    when_parse,
)
from civicdesk.routing.selectors import (
    classifier_version_get,
    classifier_version_list,
    dataset_from_cases,
    service_type_keywords,
)
from civicdesk.routing.serialization import model_dump
from civicdesk.routing.services import (
    classifier_deactivate,
    classifier_train_and_save,
    classifier_version_activate,
)
from civicdesk.routing.training import (
    COMPLEMENT_NB,
    DEFAULT_MIN_EXAMPLES,
    MODEL_KINDS,
    TrainingOutcome,
    classifier_train,
)

_ACTIONS = "{train,evaluate,versions,activate,deactivate,classify}"


def _when(value: str) -> datetime:
    try:
        return when_parse(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not an ISO date or time (2017-01-01)") from error


def _add_data_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--csv", type=Path, help="Read examples from this CSV (plain or gzipped) instead of cases."
    )
    parser.add_argument("--text", default="", help="The CSV column with the resident's text.")
    parser.add_argument("--label", default="", help="The CSV column with the service type.")
    parser.add_argument("--time", default="", help="The CSV column with when it was written.")
    parser.add_argument(
        "--label-map",
        type=Path,
        help="Map the CSV's labels to service codes (the importers' mapping format).",
    )
    parser.add_argument("--limit", type=int, help="Read at most N CSV rows.")
    parser.add_argument("--since", type=_when, help="Cases requested from this date on.")
    parser.add_argument("--until", type=_when, help="Cases requested before this date only.")
    parser.add_argument(
        "--test-from",
        type=_when,
        help="Test on examples from this date on (default: the latest 20%% by time).",
    )
    parser.add_argument(
        "--min-examples",
        type=int,
        default=DEFAULT_MIN_EXAMPLES,
        help="Leave out service types with fewer training examples "
        f"(default {DEFAULT_MIN_EXAMPLES}).",
    )
    parser.add_argument("--model", choices=MODEL_KINDS, default=COMPLEMENT_NB)


class Command(BaseCommand):
    help = "Train, evaluate, list, activate and try the text → service type classifier."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar=_ACTIONS)
        train = actions.add_parser(
            "train", help="Train on cases (or a CSV), save as a new version and activate it."
        )
        _add_data_arguments(train)
        train.add_argument(
            "--language",
            action="append",
            help="A language the training text is in (repeat for several; default en).",
        )
        train.add_argument(
            "--no-refit",
            action="store_true",
            help="Save the model fitted on the training part instead of refitting on all rows.",
        )
        train.add_argument(
            "--no-activate", action="store_true", help="Save the version but keep the active one."
        )
        evaluate = actions.add_parser(
            "evaluate",
            help="Measure a fresh model beside the majority class and keyword baselines; saves "
            "nothing.",
        )
        _add_data_arguments(evaluate)
        actions.add_parser("versions", help="List the saved versions and their figures.")
        activate = actions.add_parser("activate", help="Make a saved version the active one.")
        activate.add_argument("number", type=int)
        actions.add_parser("deactivate", help="Switch classification off (all text to triage).")
        trying = actions.add_parser("classify", help="Classify one text with the active version.")
        trying.add_argument("text")
        trying.add_argument("--language")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DatasetError as error:
            raise CommandError(str(error)) from error

    def _dataset(self, options: dict[str, Any]) -> tuple[Dataset, TrainingSource]:
        path: Path | None = options["csv"]
        if path is None:
            if options["text"] or options["label"] or options["time"] or options["label_map"]:
                raise CommandError("--text, --label, --time and --label-map go with --csv FILE")
            return (
                dataset_from_cases(since=options["since"], until=options["until"]),
                TrainingSource.DATABASE,
            )
        if not options["text"] or not options["label"]:
            raise CommandError("--csv needs --text COLUMN and --label COLUMN")
        if options["since"] or options["until"]:
            raise CommandError("--since and --until select cases; with --csv use --test-from")
        label_map = label_map_load(options["label_map"]) if options["label_map"] else None
        dataset = dataset_from_csv(
            path=path,
            text_column=options["text"],
            label_column=options["label"],
            time_column=options["time"],
            label_map=label_map,
            limit=options["limit"],
        )
        return dataset, TrainingSource.CSV

    def _train(self, options: dict[str, Any]) -> None:
        dataset, source = self._dataset(options)
        version, outcome = classifier_train_and_save(
            dataset=dataset,
            source=source,
            kind=options["model"],
            min_examples=options["min_examples"],
            test_from=options["test_from"],
            refit=not options["no_refit"],
            languages=options["language"] or ["en"],
            activate=not options["no_activate"],
        )
        self._report(dataset, outcome, model_bytes=version.size_bytes)
        state = "active" if version.is_active else "not active"
        self.stdout.write(
            self.style.SUCCESS(f"Saved classifier version {version.number} ({state}).")
        )

    def _evaluate(self, options: dict[str, Any]) -> None:
        dataset, _ = self._dataset(options)
        outcome = classifier_train(
            dataset,
            kind=options["model"],
            min_examples=options["min_examples"],
            test_from=options["test_from"],
            keywords=service_type_keywords({example.label for example in dataset.examples}),
            refit=False,
        )
        self._report(dataset, outcome, model_bytes=len(model_dump(outcome.pipeline)))

    def _report(self, dataset: Dataset, outcome: TrainingOutcome, *, model_bytes: int) -> None:
        for line in report_lines(dataset, outcome, model_bytes=model_bytes):
            self.stdout.write(line)

    def _versions(self, options: dict[str, Any]) -> None:
        versions = list(classifier_version_list())
        if not versions:
            self.stdout.write("No classifier versions; run `civicdesk routing train`.")
            return
        self.stdout.write(
            f"{'version':>7}  {'created (UTC)':<16}  {'source':<8}  {'labels':>6}  "
            f"{'macro-F1':>8}  {'accuracy':>8}  {'bytes':>11}  active"
        )
        for version in versions:
            self.stdout.write(
                f"{version.number:>7}  {version.created_at:%Y-%m-%d %H:%M}  "
                f"{version.source:<8}  {len(version.labels):>6}  "
                f"{_figure(version.metric('macro_f1')):>8}  "
                f"{_figure(version.metric('accuracy')):>8}  {version.size_bytes:>11,}  "
                f"{'yes' if version.is_active else ''}"
            )

    def _activate(self, options: dict[str, Any]) -> None:
        version = classifier_version_get(options["number"])
        if version is None:
            raise CommandError(f"There is no classifier version {options['number']}.")
        classifier_version_activate(version=version)
        self.stdout.write(self.style.SUCCESS(f"Classifier version {version.number} is active."))

    def _deactivate(self, options: dict[str, Any]) -> None:
        version = classifier_deactivate()
        if version is None:
            self.stdout.write("No classifier was active.")
            return
        self.stdout.write(
            f"Classifier version {version.number} switched off: every text goes to triage."
        )

    def _classify(self, options: dict[str, Any]) -> None:
        suggestion = classify(options["text"], language=options["language"])
        if suggestion.needs_triage:
            self.stdout.write(f"triage ({suggestion.reason})")
        else:
            self.stdout.write(f"{suggestion.service_code} ({suggestion.confidence:.2f})")
        for code, probability in suggestion.top:
            self.stdout.write(f"  {code:<32} {probability:.3f}")


def _figure(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else "-"


def report_lines(dataset: Dataset, outcome: TrainingOutcome, *, model_bytes: int) -> list[str]:
    """What `train` and `evaluate` print: the data, the split, the three methods side by side."""
    metrics = outcome.metrics
    split = metrics["split"]
    lines = [f"Data: {dataset.description}"]
    lines.append(f"  {len(dataset.examples):,} examples read")
    for reason, count in metrics["excluded"].items():
        if count:
            lines.append(f"  left out {count:,}: {reason}")
    for label, count in split["labels_below_minimum_in_training"].items():
        lines.append(f"  not learned (only {count} training examples): {label}")
    lines.append(
        f"Split: {split['description']}: train {split['train_rows']:,} rows, "
        f"test {split['test_rows']:,} rows"
    )
    lines.append(f"  {'method':<28} {'accuracy':>8} {'macro-F1':>8} {'top-3':>8}")
    for name, key in (
        (f"model ({outcome.params['model']})", "model"),
        ("majority class", "majority"),
        ("keyword baseline", "keyword"),
    ):
        scores = metrics[key]
        lines.append(
            f"  {name:<28} {scores['accuracy']:>8.3f} {scores['macro_f1']:>8.3f} "
            f"{scores['top3_accuracy']:>8.3f}"
        )
    lines.append(
        f"  {'per label (model)':<28} {'precision':>9} {'recall':>8} {'F1':>8} {'rows':>7}"
    )
    for label, entry in metrics["model"]["per_label"].items():
        lines.append(
            f"  {label[:28]:<28} {entry['precision']:>9.3f} {entry['recall']:>8.3f} "
            f"{entry['f1']:>8.3f} {entry['support']:>7,}"
        )
    lines.append("  confidence threshold → share routed without a person, accuracy on those:")
    lines.append(
        "    "
        + "  ".join(
            f"{row['threshold']:.1f}: {row['coverage']:.0%} at {row['accuracy']:.3f}"
            for row in metrics["coverage"]
        )
    )
    speed = metrics["predictions_per_second"]
    lines.append(
        f"Training {metrics['training_seconds']:.1f} s on {split['train_rows']:,} rows; "
        f"{speed['one_at_a_time']:,.0f} predictions/s one at a time (normalisation included), "
        f"{speed['batch']:,.0f}/s in batch; model {model_bytes:,} bytes"
    )
    if "refit_seconds" in metrics:
        lines.append(
            f"Refitted on all {metrics['refit_rows']:,} rows in {metrics['refit_seconds']:.1f} s; "
            f"it suggests {len(outcome.labels)} service types"
        )
        for label, count in metrics["dropped_labels"].items():
            lines.append(f"  not learned (only {count} examples): {label}")
    return lines
