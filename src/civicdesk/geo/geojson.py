"""Reading and checking GeoJSON boundary files (WGS 84 long/lat Polygons and MultiPolygons)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from civicdesk.geo.models import Area

# Names a GeoJSON crs member may carry for WGS 84 with (long, lat) axis order. EPSG:4326 is
# officially (lat, long), but every GeoJSON writer that labels a file with it writes (long, lat).
WGS84_CRS_NAMES = frozenset(
    {
        "urn:ogc:def:crs:ogc:1.3:crs84",
        "urn:ogc:def:crs:ogc::crs84",
        "crs84",
        "ogc:crs84",
        "epsg:4326",
        "urn:ogc:def:crs:epsg::4326",
        "urn:ogc:def:crs:epsg:4326",
        "urn:ogc:def:crs:epsg:6.6:4326",
        "http://www.opengis.net/def/crs/ogc/1.3/crs84",
        "http://www.opengis.net/def/crs/epsg/0/4326",
    }
)
CODE_PROPERTY_CANDIDATES = (
    "code",
    "CODE",
    "Code",
    "DISTRICT",
    "district",
    "District",
    "DIST",
    "district_id",
    "DISTRICT_ID",
    "WARD",
    "ward",
    "Ward",
    "Neighborhood_ID",
    "neighborhood_id",
    "id",
    "ID",
    "Id",
)
NAME_PROPERTY_CANDIDATES = (
    "name",
    "Name",
    "NAME",
    "label",
    "LABEL",
    "title",
    "district_name",
    "DISTRICT_NAME",
    "neighborhood",
    "Neighborhood",
    "NEIGHBORHOOD",
)
POLYGONAL_TYPES = ("Polygon", "MultiPolygon")
CODE_MAX_LENGTH = Area._meta.get_field("code").max_length or 64
NAME_MAX_LENGTH = Area._meta.get_field("name").max_length or 200


class GeoImportError(ValueError):
    """A boundary file that cannot be imported; `messages` lists every problem found."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass
class ParsedFeature:
    """One checked feature: its code, name, (repaired) geometry and properties."""

    index: int
    code: str
    name: str
    geometry: BaseGeometry
    properties: dict[str, Any]


@dataclass
class ParsedFile:
    """The checked features of one file, with the notes on what was repaired."""

    features: list[ParsedFeature]
    repairs: list[str]
    code_property: str
    name_property: str


def geojson_parse(
    data: Mapping[str, Any], *, code_property: str | None, name_property: str | None
) -> ParsedFile:
    """Check a whole GeoJSON boundary file; raise GeoImportError listing every problem."""
    errors: list[str] = []
    features = _features_of(data, errors)
    if errors:
        raise GeoImportError(errors)
    if not features:
        raise GeoImportError(["The file has no features."])

    code_key = code_property or _detect_property(features, CODE_PROPERTY_CANDIDATES)
    name_key = name_property or _detect_property(features, NAME_PROPERTY_CANDIDATES)
    if code_key is None and not all(_has_value(feature.get("id")) for feature in features):
        raise GeoImportError(
            [
                "Cannot tell which property holds the area code (tried "
                + ", ".join(CODE_PROPERTY_CANDIDATES)
                + " and the feature id); pass code_property."
            ]
        )

    parsed: list[ParsedFeature] = []
    repairs: list[str] = []
    seen_codes: dict[str, int] = {}
    for index, feature in enumerate(features):
        item = _parse_feature(
            index, feature, code_key=code_key, name_key=name_key, errors=errors, repairs=repairs
        )
        if item is None:
            continue
        if item.code in seen_codes:
            errors.append(
                f"feature {index}: code {item.code!r} (property {code_key or 'id'!s}) "
                f"repeats feature {seen_codes[item.code]}"
            )
            continue
        seen_codes[item.code] = index
        parsed.append(item)
    if errors:
        raise GeoImportError(errors)

    return ParsedFile(
        features=parsed,
        repairs=repairs,
        code_property=code_key or "feature id",
        name_property=name_key or "code",
    )


def _features_of(data: Mapping[str, Any], errors: list[str]) -> list[Mapping[str, Any]]:
    if not isinstance(data, Mapping):
        errors.append("The file is not a GeoJSON object.")
        return []
    _check_crs(data.get("crs"), "file", errors)
    kind = data.get("type")
    if kind == "Feature":
        return [data]
    if kind != "FeatureCollection":
        errors.append(f"Expected a FeatureCollection or a Feature, not {kind!r}.")
        return []
    features = data.get("features")
    if not isinstance(features, list):
        errors.append("The FeatureCollection has no features list.")
        return []
    valid: list[Mapping[str, Any]] = []
    for index, feature in enumerate(features):
        if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
            errors.append(f"feature {index}: is not a GeoJSON Feature")
            continue
        _check_crs(feature.get("crs"), f"feature {index}", errors)
        valid.append(feature)
    return valid


def _check_crs(crs: Any, where: str, errors: list[str]) -> None:
    if crs is None:
        return
    crs_name = ""
    if isinstance(crs, Mapping):
        properties = crs.get("properties")
        if isinstance(properties, Mapping):
            crs_name = str(properties.get("name") or properties.get("href") or "")
    if crs_name.strip().lower() not in WGS84_CRS_NAMES:
        errors.append(
            f"{where}: crs {crs_name or crs!r} is not WGS 84 longitude/latitude "
            "(CRS84 or EPSG:4326); reproject the file first, e.g. "
            "`ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson`."
        )


def _has_value(value: Any) -> bool:
    return value is not None and not isinstance(value, bool) and str(value).strip() != ""


def _detect_property(
    features: Sequence[Mapping[str, Any]], candidates: Sequence[str]
) -> str | None:
    """The first candidate key that every feature carries with a value."""
    for key in candidates:
        if all(
            isinstance(feature.get("properties"), Mapping)
            and _has_value(feature["properties"].get(key))
            for feature in features
        ):
            return key
    return None


def _parse_feature(
    index: int,
    feature: Mapping[str, Any],
    *,
    code_key: str | None,
    name_key: str | None,
    errors: list[str],
    repairs: list[str],
) -> ParsedFeature | None:
    properties = feature.get("properties") or {}
    if not isinstance(properties, Mapping):
        errors.append(f"feature {index}: properties is not an object")
        return None
    raw_code = properties.get(code_key) if code_key else feature.get("id")
    if not _has_value(raw_code):
        errors.append(f"feature {index}: property {code_key or 'id'!s} is missing or blank")
        return None
    code = _plain_number(raw_code).strip()
    if len(code) > CODE_MAX_LENGTH:
        errors.append(
            f"feature {index}: property {code_key or 'id'!s} is longer than "
            f"{CODE_MAX_LENGTH} characters"
        )
        return None
    if name_key is not None:
        raw_name = properties.get(name_key)
        if not _has_value(raw_name):
            errors.append(f"feature {index}: property {name_key} is missing or blank")
            return None
        name = str(raw_name).strip()
    else:
        name = code
    if len(name) > NAME_MAX_LENGTH:
        errors.append(
            f"feature {index}: property {name_key} is longer than {NAME_MAX_LENGTH} characters"
        )
        return None
    geometry = _parse_geometry(index, feature.get("geometry"), code, errors, repairs)
    if geometry is None:
        return None
    try:
        clean_properties = json.loads(json.dumps(dict(properties), allow_nan=False))
    except ValueError:
        errors.append(f"feature {index}: properties hold values JSON cannot store (NaN?)")
        return None
    return ParsedFeature(index, code, name, geometry, clean_properties)


def _plain_number(value: Any) -> str:
    # 7.0 from a spreadsheet export means district "7", not "7.0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_geometry(
    index: int, geometry: Any, code: str, errors: list[str], repairs: list[str]
) -> BaseGeometry | None:
    where = f"feature {index} ({code})"
    if not isinstance(geometry, Mapping):
        errors.append(f"{where}: geometry is missing")
        return None
    geometry_type = geometry.get("type")
    if geometry_type not in POLYGONAL_TYPES:
        errors.append(f"{where}: geometry type {geometry_type!r} is not Polygon or MultiPolygon")
        return None
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry_type == "Polygon" else coordinates
    problems: list[str] = []
    if not isinstance(polygons, list) or not polygons:
        problems.append("coordinates are empty")
    else:
        for polygon_number, polygon in enumerate(polygons):
            _check_polygon(polygon, polygon_number, geometry_type, problems)
    if problems:
        errors.extend(f"{where}: {problem}" for problem in problems[:5])
        if len(problems) > 5:
            errors.append(f"{where}: … and {len(problems) - 5} more coordinate problems")
        return None
    try:
        shape = shapely.from_geojson(
            json.dumps({"type": geometry_type, "coordinates": coordinates})
        )
    except shapely.errors.GEOSException as error:
        errors.append(f"{where}: geometry cannot be read ({error})")
        return None
    if shape.is_empty:
        errors.append(f"{where}: geometry is empty (no area)")
        return None
    if not shape.is_valid:
        # A bow-tie's two lobes cancel out in the signed area, so judge the area after repair.
        reason = explain_validity(shape)
        repaired = polygonal_part(shapely.make_valid(shape))
        if repaired.is_empty or repaired.area == 0:
            errors.append(
                f"{where}: geometry is not valid ({reason}) and has no area once repaired"
            )
            return None
        repairs.append(f"{where}: geometry was not valid ({reason}); repaired with make_valid")
        shape = repaired
    elif shape.area == 0:
        errors.append(f"{where}: geometry is empty (no area)")
        return None
    return shape


def _check_polygon(polygon: Any, number: int, geometry_type: str, problems: list[str]) -> None:
    label = f"polygon {number} " if geometry_type == "MultiPolygon" else ""
    if not isinstance(polygon, list) or not polygon:
        problems.append(f"{label}has no rings")
        return
    for ring_number, ring in enumerate(polygon):
        ring_label = f"{label}ring {ring_number}"
        if not isinstance(ring, list) or len(ring) < 4:
            problems.append(f"{ring_label} needs at least 4 positions")
            continue
        for position_number, position in enumerate(ring):
            problem = _position_problem(position)
            if problem:
                problems.append(f"{ring_label} position {position_number}: {problem}")
                return
        if list(ring[0][:2]) != list(ring[-1][:2]):
            problems.append(f"{ring_label} is not closed (first and last positions differ)")


def _position_problem(position: Any) -> str:
    if not isinstance(position, list | tuple) or len(position) < 2:
        return "is not a [long, lat] pair"
    long, lat = position[0], position[1]
    for value in (long, lat):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            return f"{value!r} is not a finite number"
    if not -180 <= long <= 180:
        return f"longitude {long} is outside -180..180"
    if not -90 <= lat <= 90:
        return f"latitude {lat} is outside -90..90 (are long and lat swapped?)"
    return ""


def polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    """Keep only the polygons: a repair can leave stray lines or points beside them."""
    if geometry.geom_type in POLYGONAL_TYPES:
        return geometry
    parts = [
        part
        for part in getattr(geometry, "geoms", [])
        if part.geom_type in POLYGONAL_TYPES and not part.is_empty
    ]
    if not parts:
        return shapely.MultiPolygon()
    return shapely.union_all(parts)


def geometry_json(geometry: BaseGeometry) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(shapely.to_geojson(geometry))
    return result
