"""The text → service type classifier on real Boston 311 requests, beside two baselines.

    .venv/bin/python bench/routing.py [--data FILE] [--models complement-nb,logistic]
                                      [--train-limit N]

Reads the shared data folder: `boston-open311/boston_open311_2008_2017.csv.gz` (210,018 City of
Boston requests with the resident's own description, 2008-10 to 2017-12; see
`shared/data/README.md`), found beside the repository or given with `--data`. Nothing of it is
kept.

In one child process, on a fresh SQLite database holding the demo catalog (whose keywords the
keyword baseline uses): the CSV's categories are mapped to catalog codes with the demo's
Open311 mapping (Other → general-request, Illegal Parking → illegal-parking, ...), every
description is normalised with the form-template keys stripped (docs/routing.md), and the
examples are split by time: train on 2008-2016, test on 2017, the latest year. For each model
kind it prints accuracy (top-1), macro-F1 and top-3 accuracy beside the majority class and the
keyword baseline on the same 2017 rows, the training time, predictions per second (one text at a
time with normalisation, and in batch) and the stored model's size; then it saves the default
model as the active version and times `routing.classify` itself, catalog checks included.
`--train-limit N` samples N training examples (seeded) for a quicker run.
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import ROOT, fresh_database, machine, run_child, targets

DEFAULT_DATA = (
    ROOT.parent / "shared" / "data" / "boston-open311" / "boston_open311_2008_2017.csv.gz"
)
TEST_FROM = "2017-01-01"
CLASSIFY_CALLS = 2000


def child(options: argparse.Namespace) -> dict[str, Any]:
    fresh_database()
    from civicdesk.core.demo import DEMO_OPEN311_MAPPING, demo_catalog_load
    from civicdesk.routing.choices import TrainingSource
    from civicdesk.routing.classifier import classify
    from civicdesk.routing.datasets import dataset_from_csv, label_map_load, when_parse
    from civicdesk.routing.selectors import service_type_keywords
    from civicdesk.routing.serialization import model_dump, model_load
    from civicdesk.routing.services import classifier_version_create
    from civicdesk.routing.training import classifier_train

    demo_catalog_load()
    started = time.perf_counter()
    dataset = dataset_from_csv(
        path=Path(options.data),
        text_column="description",
        label_column="service_name",
        time_column="requested_datetime",
        label_map=label_map_load(DEMO_OPEN311_MAPPING),
    )
    read_seconds = time.perf_counter() - started
    test_from = when_parse(TEST_FROM)
    if options.train_limit:
        earlier = [example for example in dataset.examples if example.at and example.at < test_from]
        later = [example for example in dataset.examples if example.at and example.at >= test_from]
        dataset.examples = random.Random(311).sample(earlier, options.train_limit) + later
    keywords = service_type_keywords({example.label for example in dataset.examples})

    results: dict[str, Any] = {"rows": len(dataset.examples), "read_seconds": read_seconds}
    kinds = options.models.split(",")
    for kind in kinds:
        started = time.perf_counter()
        outcome = classifier_train(
            dataset, kind=kind, test_from=test_from, keywords=keywords, refit=False
        )
        total = time.perf_counter() - started
        stored = model_dump(outcome.pipeline)
        started = time.perf_counter()
        model_load(stored)
        load_seconds = time.perf_counter() - started
        results[kind] = {
            "metrics": outcome.metrics,
            "model_bytes": len(stored),
            "load_seconds": load_seconds,
            "run_seconds": total,
        }
        if kind == kinds[0]:
            classifier_version_create(
                outcome=outcome, source=TrainingSource.CSV, description=dataset.description
            )
            texts = [
                example.text
                for example in dataset.examples
                if example.at and example.at >= test_from
            ][:CLASSIFY_CALLS]
            classify(texts[0])
            started = time.perf_counter()
            triaged = sum(classify(text).needs_triage for text in texts)
            elapsed = time.perf_counter() - started
            results["classify"] = {
                "model": kind,
                "calls": len(texts),
                "per_second": len(texts) / elapsed,
                "triaged": triaged,
            }
    return results


def report(result: dict[str, Any], options: argparse.Namespace) -> None:
    print(f"Data: {options.data} (read from the shared data folder)")
    print(f"  {result['rows']:,} labelled rows read in {result['read_seconds']:.1f} s")
    for kind in options.models.split(","):
        entry = result[kind]
        metrics = entry["metrics"]
        split = metrics["split"]
        print(f"\nModel {kind}")
        for reason, count in metrics["excluded"].items():
            if count:
                print(f"  left out {count:,}: {reason}")
        print(
            f"  {split['description']}: train {split['train_rows']:,} rows (2008-2016), "
            f"test {split['test_rows']:,} rows (2017)"
        )
        print(f"  {'method':<26} {'top-1 (accuracy)':>16} {'macro-F1':>9} {'top-3':>7}")
        for name, key in (
            ("model", "model"),
            ("majority class", "majority"),
            ("keyword baseline", "keyword"),
        ):
            scores = metrics[key]
            print(
                f"  {name:<26} {scores['accuracy']:>16.3f} {scores['macro_f1']:>9.3f} "
                f"{scores['top3_accuracy']:>7.3f}"
            )
        for label, figures in metrics["model"]["per_label"].items():
            print(
                f"    {label:<24} precision {figures['precision']:.3f}  recall "
                f"{figures['recall']:.3f}  F1 {figures['f1']:.3f}  ({figures['support']:,} rows)"
            )
        print("  confidence threshold: share routed without a person, accuracy on those")
        for row in metrics["coverage"]:
            print(f"    {row['threshold']:.1f}: {row['coverage']:.1%} at {row['accuracy']:.3f}")
        speed = metrics["predictions_per_second"]
        print(
            f"  training {metrics['training_seconds']:.1f} s; predictions/s: "
            f"{speed['one_at_a_time']:,.0f} one at a time (normalisation included), "
            f"{speed['batch']:,.0f} in batch; model {entry['model_bytes']:,} bytes, loads in "
            f"{entry['load_seconds']:.2f} s; whole run {entry['run_seconds']:.0f} s"
        )
    calls = result["classify"]
    print(
        f"\nrouting.classify ({calls['model']}, active version, catalog checks included): "
        f"{calls['per_second']:,.0f} calls/s over {calls['calls']:,} 2017 texts, "
        f"{calls['triaged']:,} sent to triage at the default threshold"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--models", default="complement-nb,logistic")
    parser.add_argument("--train-limit", type=int, default=0)
    parser.add_argument("--child", action="store_true")
    options, _ = parser.parse_known_args()
    if options.child:
        print(json.dumps(child(options)))
        return
    if not Path(options.data).exists():
        raise SystemExit(f"{options.data} not found: give --data FILE")
    print(f"Machine: {machine()}")
    label, database_url = targets(["--sqlite-only"])[0]
    extra = ["--data", options.data, "--models", options.models]
    extra += ["--train-limit", str(options.train_limit)]
    started = time.perf_counter()
    result = run_child(Path(__file__), label, database_url, extra)
    report(result, options)
    print(f"\nTotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
