"""Reading address files in the OpenAddresses CSV format, plain or gzipped.

Columns (https://openaddresses.io, the `.csv` downloads): LON, LAT, NUMBER, STREET, UNIT, CITY,
DISTRICT, REGION, POSTCODE, ID, HASH, in WGS 84. LON, LAT, NUMBER and STREET are required; the
others may be missing or blank. Column names are matched without regard to case.

Each data row comes out either as an `AddressRow` (checked, with its canonical search keys) or as
a `SkippedRow` with the reason, so one bad row never stops a file. A file that cannot be read at
all raises `AddressFileError` before any row is returned.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from civicdesk.geo.geojson import GeoImportError
from civicdesk.geo.models import Address
from civicdesk.geo.normalize import (
    number_normalize,
    number_value,
    street_normalize,
    text_normalize,
)

if TYPE_CHECKING:
    from _csv import Reader

GZIP_MAGIC = b"\x1f\x8b"
COLUMNS = ("LON", "LAT", "NUMBER", "STREET", "UNIT", "CITY", "DISTRICT", "REGION", "POSTCODE")
REQUIRED_COLUMNS = ("LON", "LAT", "NUMBER", "STREET")
# Longest value per model field; a longer value skips the row rather than being cut.
FIELD_LIMITS = {
    "NUMBER": Address._meta.get_field("number").max_length or 32,
    "STREET": Address._meta.get_field("street").max_length or 200,
    "UNIT": Address._meta.get_field("unit").max_length or 64,
    "CITY": Address._meta.get_field("city").max_length or 100,
    "POSTCODE": Address._meta.get_field("postcode").max_length or 20,
    "ID": Address._meta.get_field("external_id").max_length or 128,
}
SEARCH_TEXT_LENGTH = Address._meta.get_field("search_text").max_length or 255
CSV_FIELD_LIMIT = 64 * 1024

BAD_COORDINATES = "bad coordinates"
NO_NUMBER = "no house number"
NO_STREET = "no street name"
WRONG_COLUMN_COUNT = "wrong number of columns"
NOT_UTF8 = "not valid UTF-8"
MALFORMED = "malformed CSV row"


class AddressFileError(GeoImportError):
    """The file cannot be read as OpenAddresses CSV at all; nothing was imported from it."""


@dataclass(frozen=True)
class AddressRow:
    """One checked row: display fields as published, coordinates, id and search keys."""

    line: int
    number: str
    street: str
    unit: str
    city: str
    postcode: str
    lat: float
    long: float
    external_id: str
    search_text: str
    street_text: str
    number_value: int


@dataclass(frozen=True)
class SkippedRow:
    line: int
    reason: str


def openaddresses_rows(path: Path) -> Iterator[AddressRow | SkippedRow]:
    """The rows of an OpenAddresses CSV file, gzipped or not (told apart by content).

    The header is read and checked before this returns, so a missing file, an empty file or
    missing columns raise AddressFileError before anything is written.
    """
    csv.field_size_limit(CSV_FIELD_LIMIT)
    binary = _open_binary(path)
    # surrogateescape lets one undecodable row be skipped instead of ending the run.
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        text.close()
        raise AddressFileError([f"{path} is empty."]) from None
    except (OSError, EOFError, zlib.error, csv.Error) as error:
        text.close()
        raise AddressFileError([f"Cannot read {path} as CSV: {error}"]) from error
    columns = [name.strip().upper() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        text.close()
        raise AddressFileError(
            [
                f"{path}: the header lacks column(s) {', '.join(missing)}; an OpenAddresses CSV "
                f"has {','.join((*COLUMNS, 'ID', 'HASH'))}. Found: {','.join(header)[:200]}"
            ]
        )
    return _rows(path, reader, text, columns)


def _open_binary(path: Path) -> IO[bytes]:
    try:
        raw = path.open("rb")
    except OSError as error:
        raise AddressFileError([f"Cannot read {path}: {error.strerror or error}"]) from error
    if raw.read(2) == GZIP_MAGIC:
        raw.seek(0)
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
    raw.seek(0)
    return raw


def _rows(
    path: Path, reader: Reader, text: io.TextIOWrapper, columns: list[str]
) -> Iterator[AddressRow | SkippedRow]:
    with text:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield SkippedRow(reader.line_num, MALFORMED)
                continue
            except (OSError, EOFError, zlib.error) as error:
                raise AddressFileError(
                    [f"Cannot read {path} past line {reader.line_num}: {error}"]
                ) from error
            if not cells:
                continue
            yield address_row_parse(cells, columns=columns, line=reader.line_num)


def address_row_parse(
    cells: list[str], *, columns: list[str], line: int
) -> AddressRow | SkippedRow:
    """Check one CSV row (`cells` in the order of `columns`, upper-case names)."""
    if len(cells) != len(columns):
        return SkippedRow(line, WRONG_COLUMN_COUNT)
    try:
        "".join(cells).encode("utf-8")
    except UnicodeEncodeError:
        return SkippedRow(line, NOT_UTF8)
    values = {name: " ".join(cell.split()) for name, cell in zip(columns, cells, strict=True)}
    coordinates = _coordinates(values.get("LAT", ""), values.get("LON", ""))
    if coordinates is None:
        return SkippedRow(line, BAD_COORDINATES)
    for name, limit in FIELD_LIMITS.items():
        if len(values.get(name, "")) > limit:
            return SkippedRow(line, f"{name} longer than {limit} characters")
    number = number_normalize(values["NUMBER"])
    if not number:
        return SkippedRow(line, NO_NUMBER)
    street_key = street_normalize(values["STREET"])
    if not street_key:
        return SkippedRow(line, NO_STREET)
    city_key = text_normalize(values.get("CITY", ""))
    street_text = f"{street_key} {city_key}".strip()[:SEARCH_TEXT_LENGTH]
    postcode = values.get("POSTCODE", "")
    unit = values.get("UNIT", "")
    external_id = values.get("ID", "") or _derived_id(
        number, street_key, text_normalize(unit), city_key, postcode
    )
    lat, long = coordinates
    return AddressRow(
        line=line,
        number=values["NUMBER"],
        street=values["STREET"],
        unit=unit,
        city=values.get("CITY", ""),
        postcode=postcode,
        lat=lat,
        long=long,
        external_id=external_id,
        search_text=f"{number} {street_text}"[:SEARCH_TEXT_LENGTH],
        street_text=street_text,
        number_value=number_value(number),
    )


def _coordinates(lat_text: str, long_text: str) -> tuple[float, float] | None:
    try:
        lat, long = float(lat_text), float(long_text)
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(long)):
        return None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        return None
    if lat == 0 and long == 0:
        # "Null Island": a missing point written as zeros, not an address in the Gulf of Guinea.
        return None
    return (lat, long)


def _derived_id(number: str, street: str, unit: str, city: str, postcode: str) -> str:
    # Without a published ID the address itself is the identity, so re-importing a corrected
    # point updates the row instead of adding a second one. (HASH is not used: OpenAddresses
    # computes it from the whole row, coordinates included, so it changes when the point moves.)
    key = "|".join((number, street, unit, city, postcode))
    return "address:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
