"""Writes for the geo app: GeoJSON boundaries, the jurisdiction outline, and the address
gazetteer."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.db import transaction
from shapely.geometry.base import BaseGeometry
from tqdm import tqdm

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.geojson import GeoImportError, geojson_parse, geometry_json, polygonal_part
from civicdesk.geo.models import Address, Area
from civicdesk.geo.openaddresses import (
    AddressFileError,
    AddressRow,
    SkippedRow,
    openaddresses_rows,
)
from civicdesk.geo.selectors import area_index_clear, areas_containing, points_in_jurisdiction

__all__ = [
    "AddressFileError",
    "AddressImportSummary",
    "GeoImportError",
    "ImportSummary",
    "address_import_openaddresses",
    "area_dissolve_jurisdiction",
    "area_import_geojson",
]

# Holes this small (in square degrees, about 0.1 ha at Boston's latitude) left by a dissolve are
# seams where neighbouring boundaries do not quite meet, not real gaps in the jurisdiction.
DISSOLVE_SLIVER_AREA = 1e-7


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, for the command line and the admin."""

    kind: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    code_property: str = ""
    name_property: str = ""

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def lines(self) -> list[str]:
        lines = [
            f"{self.total} {self.kind} area(s): {len(self.created)} created, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged "
            f"(code from {self.code_property}, name from {self.name_property})."
        ]
        lines.extend(f"Repaired: {message}" for message in self.repairs)
        if self.not_in_file:
            lines.append(
                f"Kept {len(self.not_in_file)} existing {self.kind} area(s) not in this file: "
                + ", ".join(self.not_in_file)
            )
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


def area_import_geojson(
    *,
    data: Mapping[str, Any],
    kind: AreaKind,
    code_property: str | None = None,
    name_property: str | None = None,
) -> ImportSummary:
    """Create or update the areas of one kind from a GeoJSON FeatureCollection (or Feature).

    Areas are matched by (kind, code), so importing the same file twice changes nothing. The
    whole file is checked before anything is written; any problem raises GeoImportError listing
    every problem, and the database is left as it was.
    """
    kind = AreaKind(kind)
    parsed_file = geojson_parse(data, code_property=code_property, name_property=name_property)
    seen_codes = [item.code for item in parsed_file.features]
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    with transaction.atomic():
        existing = {
            area.code: area
            for area in Area.objects.select_for_update().filter(kind=kind, code__in=seen_codes)
        }
        for item in parsed_file.features:
            boundary = geometry_json(item.geometry)
            min_long, min_lat, max_long, max_lat = item.geometry.bounds
            values: dict[str, Any] = {
                "name": item.name,
                "geometry": boundary,
                "properties": item.properties,
                "min_long": min_long,
                "min_lat": min_lat,
                "max_long": max_long,
                "max_lat": max_lat,
            }
            area = existing.get(item.code)
            if area is None:
                area = Area(kind=kind, code=item.code, **values)
                created.append(item.code)
            elif all(getattr(area, key) == value for key, value in values.items()):
                unchanged.append(item.code)
                continue
            else:
                for key, value in values.items():
                    setattr(area, key, value)
                updated.append(item.code)
            try:
                area.full_clean()
            except ValidationError as error:
                raise GeoImportError(
                    [f"feature {item.index}: {message}" for message in error.messages]
                ) from error
            area.save()
        not_in_file = sorted(
            Area.objects.filter(kind=kind)
            .exclude(code__in=seen_codes)
            .values_list("code", flat=True)
        )
        if created or updated:
            transaction.on_commit(area_index_clear)

    return ImportSummary(
        kind=kind.value,
        created=created,
        updated=updated,
        unchanged=unchanged,
        not_in_file=not_in_file,
        repairs=parsed_file.repairs,
        code_property=parsed_file.code_property,
        name_property=parsed_file.name_property,
    )


def area_dissolve_jurisdiction(*, from_kind: AreaKind, code: str, name: str) -> Area:
    """Create or replace the jurisdiction boundary as the union of every area of one kind.

    Lets a deployment that only has district or neighbourhood files still check that a reported
    location is inside the jurisdiction.
    """
    from_kind = AreaKind(from_kind)
    if from_kind == AreaKind.JURISDICTION:
        raise GeoImportError(["Cannot dissolve the jurisdiction into itself; pick another kind."])
    code = code.strip()
    name = name.strip() or code
    with transaction.atomic():
        sources = list(Area.objects.filter(kind=from_kind).order_by("code"))
        if not sources:
            raise GeoImportError([f"There are no {from_kind.value} areas to dissolve."])
        union = shapely.union_all([shapely.from_geojson(json.dumps(a.geometry)) for a in sources])
        union = _drop_slivers(polygonal_part(shapely.make_valid(union)))
        if union.is_empty:
            raise GeoImportError([f"The {from_kind.value} areas dissolve to an empty shape."])
        min_long, min_lat, max_long, max_lat = union.bounds
        area, _created = Area.objects.select_for_update().get_or_create(
            kind=AreaKind.JURISDICTION,
            code=code,
            defaults={
                "name": name,
                "geometry": {},
                "min_long": min_long,
                "min_lat": min_lat,
                "max_long": max_long,
                "max_lat": max_lat,
            },
        )
        area.name = name
        area.geometry = geometry_json(union)
        area.properties = {
            "dissolved_from": from_kind.value,
            "source_codes": [source.code for source in sources],
        }
        area.min_long, area.min_lat, area.max_long, area.max_lat = union.bounds
        area.full_clean()
        area.save()
        transaction.on_commit(area_index_clear)
    return area


def _drop_slivers(geometry: BaseGeometry) -> BaseGeometry:
    polygons = list(getattr(geometry, "geoms", [geometry]))
    kept = [
        shapely.Polygon(
            polygon.exterior,
            [
                ring
                for ring in polygon.interiors
                if shapely.Polygon(ring).area > DISSOLVE_SLIVER_AREA
            ],
        )
        for polygon in polygons
        if polygon.area > DISSOLVE_SLIVER_AREA
    ]
    if not kept:
        return shapely.MultiPolygon()
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


# --- The address gazetteer -------------------------------------------------------------------

ADDRESS_BATCH_SIZE = 2000
# Ids per `IN (...)` lookup: under SQLite's most conservative bound-parameter limit (999).
ID_LOOKUP_CHUNK = 900
MAX_SOURCE_LENGTH = Address._meta.get_field("source").max_length or 32
ROW_NUMBERS_KEPT = 5
OUTSIDE_JURISDICTION = "outside the jurisdiction"
REPEATED_ID = "repeats the ID of an earlier row"
# What a re-import compares and writes; the rest of a row is its identity.
_ADDRESS_VALUE_FIELDS = (
    "number",
    "street",
    "unit",
    "city",
    "postcode",
    "search_text",
    "street_text",
    "number_value",
    "lat",
    "long",
    "district_id",
)


@dataclass
class AddressImportSummary:
    """What an address import did: rows read, created, updated, unchanged, skipped by reason."""

    source: str
    path: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_file: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_lines: dict[str, list[int]] = field(default_factory=dict)
    seconds: float = 0.0

    def skip(self, *, reason: str, line: int) -> None:
        self.skipped[reason] += 1
        lines = self.skipped_lines.setdefault(reason, [])
        if len(lines) < ROW_NUMBERS_KEPT:
            lines.append(line)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def lines(self) -> list[str]:
        """The summary, one line per skip reason with its first CSV line numbers, and what
        the source holds that the file does not."""
        lines = [
            f"{self.path} -> source '{self.source}'",
            f"{self.rows:,} rows: {self.created:,} created, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {self.skipped_total:,} skipped "
            f"({self.seconds:.1f} s, {self.rows_per_second:,.0f} rows/s)",
        ]
        for reason, count in self.skipped.most_common():
            numbers = ", ".join(str(number) for number in self.skipped_lines[reason])
            more = ", ..." if count > len(self.skipped_lines[reason]) else ""
            lines.append(f"  skipped {count:,}: {reason} (lines {numbers}{more})")
        if self.not_in_file:
            lines.append(
                f"Kept {self.not_in_file:,} address(es) of source '{self.source}' that are not "
                "in this file."
            )
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


def address_import_openaddresses(
    *,
    path: Path | str,
    source: str,
    batch_size: int = ADDRESS_BATCH_SIZE,
    progress: bool = False,
) -> AddressImportSummary:
    """Create or update gazetteer addresses from an OpenAddresses CSV file (plain or gzipped).

    Rows are matched by (source, ID), or by the address itself when the file has no ID, so a
    re-import updates moved or renamed addresses and leaves the rest untouched. Each address is
    given the district its point falls in. Rows with bad coordinates, outside the
    jurisdiction, without a number or street, or repeating an earlier ID are skipped and
    counted. Rows are written in batches, each in its own transaction, so a long import does
    not hold the database's write lock; if a run stops half-way, running it again finishes it.
    Raises AddressFileError when the file cannot be read as OpenAddresses CSV at all.
    """
    path = Path(path)
    source = source.strip()
    if not 0 < len(source) <= MAX_SOURCE_LENGTH:
        raise AddressFileError([f"The source name must be 1 to {MAX_SOURCE_LENGTH} characters."])
    summary = AddressImportSummary(source=source, path=str(path))
    started = time.monotonic()
    rows = openaddresses_rows(path)
    seen: set[str] = set()
    batch: list[AddressRow] = []
    bar = tqdm(
        unit=" rows",
        file=sys.stderr,
        disable=not (progress and sys.stderr.isatty()),
        desc=source,
    )
    try:
        with bar:
            for row in rows:
                summary.rows += 1
                bar.update(1)
                if isinstance(row, SkippedRow):
                    summary.skip(reason=row.reason, line=row.line)
                    continue
                if row.external_id in seen:
                    summary.skip(reason=REPEATED_ID, line=row.line)
                    continue
                seen.add(row.external_id)
                batch.append(row)
                if len(batch) >= batch_size:
                    _address_batch_write(batch, source=source, summary=summary)
                    batch = []
            if batch:
                _address_batch_write(batch, source=source, summary=summary)
    finally:
        summary.seconds = time.monotonic() - started
    present = summary.created + summary.updated + summary.unchanged
    summary.not_in_file = Address.objects.filter(source=source).count() - present
    return summary


def _address_batch_write(
    rows: list[AddressRow], *, source: str, summary: AddressImportSummary
) -> None:
    # Placing the points first, outside the transaction: the area index is then checked once
    # per batch instead of once per row.
    points = [(row.lat, row.long) for row in rows]
    inside = points_in_jurisdiction(points=points)
    districts = areas_containing(points=points, kind=AreaKind.DISTRICT)
    placed: list[tuple[AddressRow, int | None]] = []
    for row, is_inside, district in zip(rows, inside, districts, strict=True):
        if is_inside:
            placed.append((row, district.id if district else None))
        else:
            summary.skip(reason=OUTSIDE_JURISDICTION, line=row.line)
    if not placed:
        return
    with transaction.atomic():
        ids = [row.external_id for row, _district in placed]
        existing: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), ID_LOOKUP_CHUNK):
            for values in Address.objects.filter(
                source=source, external_id__in=ids[start : start + ID_LOOKUP_CHUNK]
            ).values("external_id", *_ADDRESS_VALUE_FIELDS):
                existing[values.pop("external_id")] = values
        writes: list[Address] = []
        for row, district_id in placed:
            values = {
                "number": row.number,
                "street": row.street,
                "unit": row.unit,
                "city": row.city,
                "postcode": row.postcode,
                "search_text": row.search_text,
                "street_text": row.street_text,
                "number_value": row.number_value,
                "lat": row.lat,
                "long": row.long,
                "district_id": district_id,
            }
            current = existing.get(row.external_id)
            if current == values:
                summary.unchanged += 1
                continue
            if current is None:
                summary.created += 1
            else:
                summary.updated += 1
            writes.append(Address(source=source, external_id=row.external_id, **values))
        # One upsert for new and changed rows alike: also safe against a concurrent import of
        # the same source inserting a row between the lookup above and this write.
        Address.objects.bulk_create(
            writes,
            update_conflicts=True,
            unique_fields=["source", "external_id"],
            update_fields=[name for name in _ADDRESS_VALUE_FIELDS if name != "district_id"]
            + ["district"],
        )
