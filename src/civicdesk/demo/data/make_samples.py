"""Cut the small demo samples committed beside this file from the shared open-data extracts.

A developer runs this once when the samples need remaking; nothing at runtime reads the shared
folder. The cuts are deterministic (fixed seed, fixed strides), so re-running gives the same
files byte for byte apart from gzip's timestamp, which is pinned to zero.

    python src/civicdesk/demo/data/make_samples.py [--shared /work/shared/data]
"""

import argparse
import csv
import gzip
import io
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
BOSTON_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "requested_datetime",
    "updated_datetime",
    "address",
    "lat",
    "long",
    "media_url",
]
BOSTON_YEARS = ("2016", "2017")
BOSTON_PER_CATEGORY = 750
NYC_SOCRATA_ROWS = 1000
SEED = 311


def gzip_write(*, path: Path, data: bytes) -> None:
    # mtime=0 keeps the archive identical between runs, so git sees no spurious change.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        packed.write(data)


def boston_sample(*, shared: Path) -> int:
    """750 random requests per category from 2016-2017, oldest first, as GeoReport v2 JSON."""
    source = shared / "boston-open311" / "boston_open311_2008_2017.csv.gz"
    with gzip.open(source, "rt", newline="", encoding="utf-8") as handle:
        rows = [
            row for row in csv.DictReader(handle) if row["requested_datetime"][:4] in BOSTON_YEARS
        ]
    by_category: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_category.setdefault(row["service_name"], []).append(row)
    rng = random.Random(SEED)  # noqa: S311 - a reproducible sample, not a secret
    picked: list[dict[str, str]] = []
    for name in sorted(by_category):
        picked.extend(rng.sample(by_category[name], BOSTON_PER_CATEGORY))
    picked.sort(key=lambda row: (row["requested_datetime"], row["service_request_id"]))
    requests = [
        {
            **{field: row[field] for field in BOSTON_FIELDS},
            # GeoReport v2 publishes coordinates as numbers; a blank stays out of the object.
            "lat": float(row["lat"]) if row["lat"] else None,
            "long": float(row["long"]) if row["long"] else None,
        }
        for row in picked
    ]
    text = json.dumps(requests, ensure_ascii=False, indent=0)
    gzip_write(path=HERE / "boston-open311-sample.json.gz", data=text.encode("utf-8"))
    return len(requests)


def nyc_hour_sample(*, shared: Path) -> int:
    """The whole one-hour extract (title-case columns), gzipped unchanged."""
    data = (shared / "nyc-311-samples" / "nyc311_2022-05-01_hour.csv").read_bytes()
    gzip_write(path=HERE / "nyc311-2022-05-01-hour.csv.gz", data=data)
    return data.count(b"\n") - 1


def nyc_socrata_sample(*, shared: Path) -> int:
    """Every 7th row of the one-day Socrata extract (snake_case columns), the first 1,000,
    gzipped (package data ships *.csv.gz, not *.csv)."""
    source = shared / "nyc-311-samples" / "nyc311_2021-09-21_socrata.csv"
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [row for index, row in enumerate(reader) if index % 7 == 0][:NYC_SOCRATA_ROWS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    gzip_write(path=HERE / "nyc311-2021-09-21-socrata.csv.gz", data=out.getvalue().encode("utf-8"))
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("/work/shared/data"))
    args = parser.parse_args()
    print("boston-open311-sample.json.gz:", boston_sample(shared=args.shared), "requests")
    print("nyc311-2022-05-01-hour.csv.gz:", nyc_hour_sample(shared=args.shared), "rows")
    print("nyc311-2021-09-21-socrata.csv.gz:", nyc_socrata_sample(shared=args.shared), "rows")


if __name__ == "__main__":
    main()
