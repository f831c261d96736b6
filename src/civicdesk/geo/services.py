"""Writes for named areas: importing GeoJSON boundaries and building the jurisdiction outline."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.db import transaction
from shapely.geometry.base import BaseGeometry

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.geojson import GeoImportError, geojson_parse, geometry_json, polygonal_part
from civicdesk.geo.models import Area
from civicdesk.geo.selectors import area_index_clear

__all__ = [
    "GeoImportError",
    "ImportSummary",
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
