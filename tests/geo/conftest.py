import csv
import gzip
import io
from pathlib import Path
from typing import Any


def square(x0: float, y0: float, x1: float, y1: float) -> list[list[list[float]]]:
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def feature(properties: dict[str, Any], coordinates: Any, kind: str = "Polygon") -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def collection(*features: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features), **extra}


def two_districts() -> dict[str, Any]:
    """District 1 is the unit square at the origin, district 2 the square east of it."""
    return collection(
        feature({"DISTRICT": 1, "NAME": "District One"}, square(0, 0, 1, 1)),
        feature({"DISTRICT": 2, "NAME": "District Two"}, square(1, 0, 2, 1)),
    )


OA_HEADER = ["LON", "LAT", "NUMBER", "STREET", "UNIT", "CITY", "DISTRICT", "REGION"]
OA_HEADER += ["POSTCODE", "ID", "HASH"]


def oa_row(
    number: str,
    street: str,
    *,
    lat: float | str = 0.5,
    long: float | str = 0.5,
    unit: str = "",
    city: str = "",
    postcode: str = "",
    id: str = "",
) -> list[str]:
    """One OpenAddresses CSV row (columns in OA_HEADER order)."""
    return [str(long), str(lat), number, street, unit, city, "", "XX", postcode, id, "ffff"]


def oa_write(
    path: Path, rows: list[list[str]], *, header: list[str] = OA_HEADER, gzipped: bool = False
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    if gzipped:
        data = gzip.compress(data)
    path.write_bytes(data)
    return path
