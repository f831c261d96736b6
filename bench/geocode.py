"""Address search and reverse lookup latency, on SQLite and PostgreSQL.

    .venv/bin/python bench/geocode.py [--queries 600] [--synthetic 100000] [--sqlite-only]

Per database, in one child process:
- loads the demo districts and the demo gazetteer (`boston-addresses.csv.gz`, about 16k real
  Boston addresses) through `civicdesk geo addresses import`'s code path: rows/s first run and
  re-run;
- measures `address_search` (a whole address as written, a number and the first three letters
  of the street as someone types, a street name alone) and `address_nearest` (a pin within
  50 m of an address, a random point in the city) over addresses drawn from the table;
- adds a synthetic gazetteer of `--synthetic` more addresses (real streets, made-up house
  numbers, points near that street's real ones) through the same import, and measures again on
  the larger table;
- reference: a primary-key lookup of one Address (`Address.objects.get(pk=...)`), measured in
  the same process against the same table, so the ratios stay comparable on a shared machine.

PostgreSQL runs on its own database (`civicdesk_bench_geo`, dropped and created again;
override with BENCH_POSTGRES_URL).
"""

import csv
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import database_version, fresh_database, machine, run_child, targets

os.environ.setdefault(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/civicdesk_bench_geo"
)

SEED = 311
WARM_UP = 30
# Boston's bounding box, for random "use my location" points.
BOX = (42.23, -71.19, 42.40, -70.99)
HEADER = ["LON", "LAT", "NUMBER", "STREET", "UNIT", "CITY", "DISTRICT", "REGION", "POSTCODE"]
HEADER += ["ID", "HASH"]


def latencies(call: Callable[[Any], object], inputs: list[Any]) -> dict[str, float]:
    for item in inputs[:WARM_UP]:
        call(item)
    timings = []
    for item in inputs:
        started = time.perf_counter()
        call(item)
        timings.append(time.perf_counter() - started)
    timings.sort()
    return {
        "p50_ms": statistics.median(timings) * 1000,
        "p99_ms": timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000,
        "n": len(timings),
    }


def measure(queries: int, rng: random.Random) -> dict[str, dict[str, float]]:
    from civicdesk.geo.models import Address
    from civicdesk.geo.selectors import address_nearest, address_search

    ids = list(Address.objects.values_list("id", flat=True))
    picked = list(
        Address.objects.filter(id__in=rng.sample(ids, min(queries, len(ids)))).values_list(
            "id", "number", "street", "city", "lat", "long"
        )
    )
    rng.shuffle(picked)
    whole = [f"{number} {street}, {city}" for _id, number, street, city, _la, _lo in picked]
    typing = [f"{number} {street[:3]}" for _id, number, street, _c, _la, _lo in picked]
    streets = [street.split()[0] for _id, _n, street, _c, _la, _lo in picked]
    near_pins = [
        (lat + rng.uniform(-0.00035, 0.00035), long + rng.uniform(-0.00045, 0.00045))
        for _id, _n, _s, _c, lat, long in picked
    ]
    random_points = [
        (rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3])) for _ in range(len(picked))
    ]
    found = 0
    for (_id, number, street, *_rest), text in zip(picked[:200], whole, strict=False):
        first = address_search(text, limit=1)
        found += bool(first) and (first[0].number, first[0].street) == (number, street)
    return {
        "reference: pk lookup": latencies(
            lambda pk: Address.objects.get(pk=pk), [p[0] for p in picked]
        ),
        "search: whole address": latencies(address_search, whole),
        "search: number + 3 letters": latencies(address_search, typing),
        "search: street name only": latencies(address_search, streets),
        "nearest: pin within 50 m": latencies(lambda p: address_nearest(*p), near_pins),
        "nearest: random city point": latencies(lambda p: address_nearest(*p), random_points),
        "_found": {"whole_address_hit_rate": found / min(200, len(whole))},
    }


def synthetic_file(count: int, rng: random.Random) -> Path:
    """`count` made-up addresses on real streets, near that street's real points."""
    from civicdesk.core.demo import DEMO_ADDRESSES

    with gzip.open(DEMO_ADDRESSES, "rt", encoding="utf-8", newline="") as handle:
        templates = list(csv.DictReader(handle))
    path = Path(tempfile.mkdtemp(prefix="civicdesk-bench-geo-")) / "synthetic.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(count):
            template = templates[index % len(templates)]
            number = 2 * (index // len(templates) + 1) * 1000 + rng.randrange(1, 999)
            writer.writerow(
                [
                    f"{float(template['LON']) + rng.uniform(-0.0006, 0.0006):.6f}",
                    f"{float(template['LAT']) + rng.uniform(-0.0004, 0.0004):.6f}",
                    str(number),
                    template["STREET"],
                    "",
                    template["CITY"],
                    "",
                    "MA",
                    template["POSTCODE"],
                    f"synthetic-{index}",
                    "",
                ]
            )
    return path


def child(queries: int, synthetic: int) -> dict[str, Any]:
    fresh_database()
    from civicdesk.core.demo import DEMO_ADDRESSES, demo_districts_load
    from civicdesk.geo.models import Address
    from civicdesk.geo.services import address_import_openaddresses

    rng = random.Random(SEED)
    demo_districts_load()
    first = address_import_openaddresses(path=DEMO_ADDRESSES, source="boston-demo")
    rerun = address_import_openaddresses(path=DEMO_ADDRESSES, source="boston-demo")
    demo_rows = Address.objects.count()
    small = measure(queries, rng)

    path = synthetic_file(synthetic, rng)
    big_import = address_import_openaddresses(path=path, source="synthetic")
    path.unlink()
    large = measure(queries, rng)
    return {
        "version": database_version(),
        "demo_rows": demo_rows,
        "demo_import_rows_per_s": first.rows_per_second,
        "demo_reimport_rows_per_s": rerun.rows_per_second,
        "synthetic_rows": big_import.rows,
        "synthetic_created": big_import.created,
        "synthetic_skipped": big_import.skipped_total,
        "synthetic_import_rows_per_s": big_import.rows_per_second,
        "total_rows": Address.objects.count(),
        "small": small,
        "large": large,
    }


def main(argv: list[str]) -> None:
    queries = int(argv[argv.index("--queries") + 1]) if "--queries" in argv else 600
    synthetic = int(argv[argv.index("--synthetic") + 1]) if "--synthetic" in argv else 100_000
    if "--child" in argv:
        print(json.dumps(child(queries, synthetic)))
        return
    print(f"machine: {machine()}")
    extra = ["--queries", str(queries), "--synthetic", str(synthetic)]
    for label, url in targets(argv):
        r = run_child(Path(__file__), label, url, extra)
        print()
        print(f"{label} ({r['version']})")
        print(
            f"  import: demo {r['demo_rows']:,} addresses at {r['demo_import_rows_per_s']:,.0f}"
            f" rows/s, re-run {r['demo_reimport_rows_per_s']:,.0f} rows/s; synthetic"
            f" {r['synthetic_rows']:,} rows at {r['synthetic_import_rows_per_s']:,.0f} rows/s"
            f" ({r['synthetic_created']:,} created, {r['synthetic_skipped']:,} skipped)"
        )
        for key, rows in (("small", r["demo_rows"]), ("large", r["total_rows"])):
            figures = r[key]
            reference = figures["reference: pk lookup"]["p50_ms"]
            hit_rate = figures.pop("_found")["whole_address_hit_rate"]
            print(
                f"  table of {rows:,} addresses ({queries} queries each; whole address found"
                f" first {hit_rate:.0%})"
            )
            print(f"    {'measurement':<28} {'p50 ms':>8} {'p99 ms':>8} {'p50/ref':>8}")
            for name, figure in figures.items():
                print(
                    f"    {name:<28} {figure['p50_ms']:>8.3f} {figure['p99_ms']:>8.3f}"
                    f" {figure['p50_ms'] / reference:>8.1f}"
                )


if __name__ == "__main__":
    main(sys.argv[1:])
