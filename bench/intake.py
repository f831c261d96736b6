"""Intake and import throughput, on SQLite and PostgreSQL.

    .venv/bin/python bench/intake.py [--cases 600] [--sqlite-only]

Figures (per database):
- intake: cases/s through `intake_submit` (validation, resident, contact, case, event, SLA,
  district lookup), one submission per transaction, as channels call it;
- import: rows/s for the committed Boston Open311 sample through `civicdesk import open311`'s
  code path, first run (creating cases) and re-run (all rows already present);
- reference: single-row insert transactions/s on the same database in the same process, so the
  ratios stay comparable on a shared, noisy machine.
"""

import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    ROOT,
    database_version,
    demo_jurisdiction_load,
    fresh_database,
    machine,
    run_child,
    submissions_make,
    targets,
)


def child(cases: int) -> dict[str, Any]:
    fresh_database()
    from django.db import transaction

    from civicdesk.catalog.models import Department
    from civicdesk.core.demo import DEMO_OPEN311_MAPPING, DEMO_OPEN311_SAMPLE
    from civicdesk.intake.importers import import_open311, load_mapping
    from civicdesk.intake.services import intake_submit

    submissions = submissions_make(cases, demo_jurisdiction_load())
    sample_path = DEMO_OPEN311_SAMPLE
    with gzip.open(sample_path, "rt") as handle:
        sample = json.load(handle)

    reference_count = max(cases, 500)
    started = time.perf_counter()
    for index in range(reference_count):
        with transaction.atomic():
            Department.objects.create(code=f"reference-{index}", name=f"Reference {index}")
    reference_rate = reference_count / (time.perf_counter() - started)

    started = time.perf_counter()
    for index, submission in enumerate(submissions):
        intake_submit(submission=submission, idempotency_key=f"bench-{index}")
    intake_rate = cases / (time.perf_counter() - started)

    mapping = load_mapping(DEMO_OPEN311_MAPPING)
    started = time.perf_counter()
    first = import_open311(path=sample_path, mapping=mapping, source="bench", progress=False)
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    import_open311(path=sample_path, mapping=mapping, source="bench", progress=False)
    rerun_seconds = time.perf_counter() - started

    return {
        "version": database_version(),
        "reference_tx_per_s": reference_rate,
        "intake_cases_per_s": intake_rate,
        "cases": cases,
        "import_rows": len(sample),
        "import_imported": first.imported,
        "import_rows_per_s": len(sample) / first_seconds,
        "reimport_rows_per_s": len(sample) / rerun_seconds,
    }


def main(argv: list[str]) -> None:
    cases = int(argv[argv.index("--cases") + 1]) if "--cases" in argv else 600
    if "--child" in argv:
        print(json.dumps(child(cases)))
        return
    print(f"machine: {machine()}")
    print(f"sample:  {ROOT / 'src/civicdesk/demo/data/boston-open311-sample.json.gz'}")
    header = (
        f"{'database':<11} {'intake cases/s':>15} {'import rows/s':>14} {'re-import rows/s':>17}"
        f" {'reference tx/s':>15} {'intake/ref':>11} {'import/ref':>11}"
    )
    print(header)
    for label, url in targets(argv):
        r = run_child(Path(__file__), label, url, ["--cases", str(cases)])
        print(
            f"{label:<11} {r['intake_cases_per_s']:>15.1f} {r['import_rows_per_s']:>14.1f}"
            f" {r['reimport_rows_per_s']:>17.1f} {r['reference_tx_per_s']:>15.1f}"
            f" {r['intake_cases_per_s'] / r['reference_tx_per_s']:>11.3f}"
            f" {r['import_rows_per_s'] / r['reference_tx_per_s']:>11.3f}"
            f"   ({r['version']}; {r['cases']} intake cases; {r['import_imported']} of"
            f" {r['import_rows']} sample rows imported)"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
