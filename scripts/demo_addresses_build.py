"""Build the demo address gazetteer from the public Boston 311 records in the shared data folder.

    .venv/bin/python scripts/demo_addresses_build.py [--shared /work/shared/data] [--output FILE]

Reads `boston-open311/boston_open311_2008_2017.csv.gz` (City of Boston Open311 requests,
2008-2017), keeps the requests whose address is a numbered street address, groups them by
address (house number, street and neighbourhood, compared in the canonical form of
`civicdesk.geo.normalize`), keeps addresses reported in at least two requests, places each at
the median of its requests' points, drops points outside the demo boundaries, and writes the
OpenAddresses CSV format, gzipped, to `src/civicdesk/demo/data/boston-addresses.csv.gz`.
Apartment and unit numbers are dropped: the gazetteer names buildings, not homes.

Deterministic: the same input gives the same file byte for byte (sorted rows, gzip mtime 0).
Only this script reads the shared folder; the demo and the tests read the committed file.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import shapely

from civicdesk.geo.normalize import number_normalize, number_value, street_normalize, text_normalize

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
SOURCE_FILE = Path("boston-open311") / "boston_open311_2008_2017.csv.gz"
BOUNDARIES = ROOT / "src" / "civicdesk" / "demo" / "boundaries" / "boston-neighborhoods.geojson"
OUTPUT = ROOT / "src" / "civicdesk" / "demo" / "data" / "boston-addresses.csv.gz"
HEADER = [
    "LON",
    "LAT",
    "NUMBER",
    "STREET",
    "UNIT",
    "CITY",
    "DISTRICT",
    "REGION",
    "POSTCODE",
    "ID",
    "HASH",
]

# An address is kept when at least this many of its requests, and at least half of them, lie
# within AGREE_METRES of their median point: the city's geocoder placed it consistently (a
# resident's pin or a stray geocode does not move it), and it is not one person's one report.
MIN_REQUESTS = 3
AGREE_METRES = 30.0

NUMBER_AND_STREET = re.compile(
    r"^(?P<number>\d+[A-Za-z]?(?:\s*[- ]\s*\d+[A-Za-z]?)?)\s+(?P<street>[A-Za-z].*)$"
)
STATE_AND_ZIP = re.compile(r"^(?:MA|Massachusetts)\.?\s*(?P<zip>\d{5})?(?:-\d{4})?$", re.I)
ZIP = re.compile(r"^(?P<zip>\d{5})(?:-\d{4})?$")
# After a comma, a part with a digit or without a word of three letters is a unit ("1",
# "Unit 1", "Ste C", "1 A"), not a neighbourhood.
CITY = re.compile(
    r"^(?!.*\d)(?!(?:unit|apt|apartment|ste|suite|fl|floor|bsmt)\b).*[A-Za-z]{3}", re.IGNORECASE
)
# Without a comma ("136 Harrison Ave Downtown") the street ends at its suffix, written short by
# the city's system; the full words are a fallback, and the words that also end neighbourhood
# names ("Hyde Park", "Andrew Square") the last resort.
SHORT_SUFFIXES = frozenset(
    [
        "st",
        "ave",
        "av",
        "rd",
        "blvd",
        "dr",
        "pl",
        "sq",
        "ct",
        "ter",
        "terr",
        "hwy",
        "pkwy",
        "ln",
        "plz",
        "cir",
        "way",
        "row",
        "pk",
        "aly",
        "whf",
    ]
)
LONG_SUFFIXES = frozenset(
    ["street", "avenue", "road", "boulevard", "drive", "place", "court", "terrace", "lane"]
)
WEAK_SUFFIXES = frozenset(["square", "park", "plaza", "way", "highway", "parkway", "wharf", "row"])
DIRECTION_LETTERS = frozenset({"n", "s", "e", "w"})
# Groups of one address under two neighbourhood names within this distance are one address.
MERGE_METRES = 60.0


@dataclass
class Parsed:
    number: str
    street: str
    city: str
    postcode: str


@dataclass
class Group:
    """Every request that named one address."""

    lats: list[float] = field(default_factory=list)
    longs: list[float] = field(default_factory=list)
    numbers: Counter[str] = field(default_factory=Counter)
    streets: Counter[str] = field(default_factory=Counter)
    cities: Counter[str] = field(default_factory=Counter)
    postcodes: Counter[str] = field(default_factory=Counter)


def parse_address(text: str) -> Parsed | None:
    """'25 Sheridan St, Jamaica Plain, MA, 02130' -> number, street, city, postcode."""
    parts = [" ".join(part.split()) for part in text.split(",")]
    match = NUMBER_AND_STREET.match(parts[0])
    if not match or text.lower().startswith("intersection"):
        return None
    number = re.sub(r"\s*[- ]\s*", "-", match["number"]).upper()
    street = match["street"]
    city = postcode = ""
    for part in parts[1:]:
        state = STATE_AND_ZIP.match(part) or ZIP.match(part)
        if state:
            postcode = state["zip"] or postcode
        elif not city and CITY.match(part):
            city = part
    if len(parts) == 1 or not city:
        street, city = split_city(street, city)
    if not street_normalize(street):
        return None
    return Parsed(number=number, street=street, city=city, postcode=postcode)


def split_city(text: str, city: str) -> tuple[str, str]:
    """'Oak St W Downtown' -> ('Oak St W', 'Downtown'): the street ends at its suffix."""
    words = text.split()
    bare = [word.lower().rstrip(".") for word in words]
    for suffixes in (SHORT_SUFFIXES, LONG_SUFFIXES, WEAK_SUFFIXES):
        ends = [i for i, word in enumerate(bare) if i >= 1 and word in suffixes]
        if not ends:
            continue
        end = ends[0] + 1
        if end < len(words) and bare[end] in DIRECTION_LETTERS:
            end += 1
        rest = " ".join(words[end:])
        return " ".join(words[:end]), (rest if rest and not city else city)
    return text, city


def merged(groups: dict[tuple[str, str, str], Group]) -> list[tuple[tuple[str, str, str], Group]]:
    """One group per address: the same number and street under two neighbourhood names
    ("Boston" and "South End") within MERGE_METRES are one place."""
    by_street: dict[tuple[str, str], list[tuple[tuple[str, str, str], Group]]] = defaultdict(list)
    for key, group in sorted(groups.items(), key=lambda item: (-len(item[1].lats), item[0])):
        centre = (statistics.median(group.lats), statistics.median(group.longs))
        for _key, kept in by_street[key[:2]]:
            kept_centre = (statistics.median(kept.lats), statistics.median(kept.longs))
            if metres_between(centre, kept_centre) <= MERGE_METRES:
                for name in ("lats", "longs"):
                    getattr(kept, name).extend(getattr(group, name))
                for name in ("numbers", "streets", "cities", "postcodes"):
                    getattr(kept, name).update(getattr(group, name))
                break
        else:
            by_street[key[:2]].append((key, group))
    return [item for items in by_street.values() for item in items]


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    # Equirectangular: exact enough within a city.
    return 111_195.0 * ((a[0] - b[0]) ** 2 + ((a[1] - b[1]) * 0.74) ** 2) ** 0.5


def jurisdiction() -> shapely.Geometry:
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    shapes = [shapely.from_geojson(json.dumps(feature["geometry"])) for feature in data["features"]]
    union = shapely.union_all([shapely.make_valid(shape) for shape in shapes])
    shapely.prepare(union)
    return union


def build(shared: Path, output: Path) -> dict[str, int]:
    with gzip.open(shared / SOURCE_FILE, "rt", encoding="utf-8", newline="") as handle:
        requests = [
            (row["address"].strip(), row["lat"], row["long"])
            for row in csv.DictReader(handle)
            if row["lat"] and row["long"] and row["address"].strip()
        ]
    groups: dict[tuple[str, str, str], Group] = defaultdict(Group)
    for address, lat, long in requests:
        parsed = parse_address(address)
        if parsed is None:
            continue
        key = (
            number_normalize(parsed.number),
            street_normalize(parsed.street),
            text_normalize(parsed.city),
        )
        group = groups[key]
        group.lats.append(float(lat))
        group.longs.append(float(long))
        group.numbers[parsed.number] += 1
        group.streets[parsed.street] += 1
        group.cities[parsed.city] += 1
        if parsed.postcode:
            group.postcodes[parsed.postcode] += 1

    boundary = jurisdiction()
    rows: list[tuple[tuple[str, str, int, str], list[str]]] = []
    counts = Counter(requests=len(requests), addresses=len(groups))
    addresses = merged(groups)
    counts["merged"] = len(groups) - len(addresses)
    for key, group in addresses:
        if len(group.lats) < MIN_REQUESTS:
            counts[f"reported fewer than {MIN_REQUESTS} times"] += 1
            continue
        lat = round(statistics.median(group.lats), 6)
        long = round(statistics.median(group.longs), 6)
        agreeing = sum(
            metres_between((lat, long), point) <= AGREE_METRES
            for point in zip(group.lats, group.longs, strict=True)
        )
        if agreeing < MIN_REQUESTS or agreeing * 2 < len(group.lats):
            counts["points disagree"] += 1
            continue
        if not boundary.covers(shapely.Point(long, lat)):
            counts["outside the boundaries"] += 1
            continue
        number = group.numbers.most_common(1)[0][0]
        street = group.streets.most_common(1)[0][0]
        city = group.cities.most_common(1)[0][0]
        postcode = group.postcodes.most_common(1)[0][0] if group.postcodes else ""
        identity = "bos311:" + short_hash("|".join(key))
        values = [f"{long:.6f}", f"{lat:.6f}", number, street, "", city, "", "MA", postcode]
        values.append(identity)
        values.append(short_hash(",".join(values)))
        sort_key = (key[2], key[1], number_value(number), key[0])
        rows.append((sort_key, values))
    rows.sort()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(values for _key, values in rows)
    with output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        packed.write(buffer.getvalue().encode("utf-8"))
    counts["written"] = len(rows)
    counts["bytes"] = output.stat().st_size
    return dict(counts)


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared data folder")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    options = parser.parse_args()
    for name, value in build(options.shared, options.output).items():
        print(f"{name}: {value:,}")


if __name__ == "__main__":
    main()
