"""Reads for named areas: which area holds a point, and whether a point is in the jurisdiction.

Every new case and every row of a bulk import asks these questions, so the polygons are kept in
memory per process as prepared shapely geometries behind an STRtree per area kind. A cheap stamp
(row count and latest `updated_at`) tells when the table changed; it is read at most every
`CIVICDESK_GEO_CACHE_CHECK_SECONDS` seconds, and the import services clear the cache on commit.
"""

from __future__ import annotations

import functools
import json
import math
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

import numpy
import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Abs
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.db_adapter import prefix_condition
from civicdesk.geo.models import Address, Area
from civicdesk.geo.normalize import (
    AddressQuery,
    address_query_parse,
    number_value,
    street_normalize,
)

DEFAULT_CHECK_SECONDS = 5.0
# Fields loaded into the cached Area instances; geometry and properties stay deferred so the
# cache does not hold every polygon twice.
_CACHED_FIELDS = ("id", "kind", "code", "name", "min_long", "min_lat", "max_long", "max_lat")


def coordinates_validate(*, lat: Any, long: Any) -> None:
    """Raise ValidationError naming `lat` and/or `long` unless both are finite and in range."""
    errors: dict[str, str] = {}
    lat_value = _finite(lat)
    if lat_value is None:
        errors["lat"] = _("Latitude must be a number.")
    elif not -90 <= lat_value <= 90:
        errors["lat"] = _("Latitude must be between -90 and 90.")
    long_value = _finite(long)
    if long_value is None:
        errors["long"] = _("Longitude must be a number.")
    elif not -180 <= long_value <= 180:
        errors["long"] = _("Longitude must be between -180 and 180.")
    if errors:
        raise ValidationError(errors)


def area_containing(*, lat: float, long: float, kind: AreaKind = AreaKind.DISTRICT) -> Area | None:
    """The area of `kind` that covers the point, or None.

    A point on the border of two areas belongs to the one with the smaller code, so the answer
    never depends on load order. Raises ValidationError for impossible coordinates.
    """
    coordinates_validate(lat=lat, long=long)
    index = _area_index().get(AreaKind(kind).value)
    if index is None:
        return None
    return index.first_covering(float(long), float(lat))


def point_in_jurisdiction(*, lat: float, long: float) -> bool:
    """True when the point is inside a jurisdiction area, or when none is loaded at all.

    A deployment without boundaries accepts every valid coordinate. Raises ValidationError for
    impossible coordinates.
    """
    coordinates_validate(lat=lat, long=long)
    index = _area_index().get(AreaKind.JURISDICTION.value)
    if index is None:
        return True
    return index.first_covering(float(long), float(lat)) is not None


def areas_containing(
    *, points: Sequence[tuple[float, float]], kind: AreaKind = AreaKind.DISTRICT
) -> list[Area | None]:
    """`area_containing` for many (lat, long) points at once, with the same border rule.

    One cache check and one vectorized shapely query for the whole batch, so bulk imports pay
    microseconds per point. Raises ValidationError for impossible coordinates.
    """
    for lat, long in points:
        coordinates_validate(lat=lat, long=long)
    index = _area_index().get(AreaKind(kind).value)
    if index is None or not points:
        return [None] * len(points)
    positions = index.first_covering_many(points)
    return [
        None if position < 0 else _detached_copy(index.areas[position]) for position in positions
    ]


def points_in_jurisdiction(*, points: Sequence[tuple[float, float]]) -> list[bool]:
    """`point_in_jurisdiction` for many (lat, long) points at once."""
    for lat, long in points:
        coordinates_validate(lat=lat, long=long)
    index = _area_index().get(AreaKind.JURISDICTION.value)
    if index is None:
        return [True] * len(points)
    if not points:
        return []
    return [position >= 0 for position in index.first_covering_many(points)]


def area_index_clear() -> None:
    """Forget the cached polygons; the next lookup reloads them. Called after every import."""
    with _cache.lock:
        _cache.stamp = None
        _cache.by_kind = {}
        _cache.checked_at = -math.inf


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, ArithmeticError):
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class _KindIndex:
    areas: tuple[Area, ...]
    geometries: tuple[BaseGeometry, ...]
    tree: shapely.STRtree

    def first_covering(self, long: float, lat: float) -> Area | None:
        point = shapely.Point(long, lat)
        candidates = sorted(int(i) for i in self.tree.query(point))
        for position in candidates:
            if shapely.covers(self.geometries[position], point):
                return _detached_copy(self.areas[position])
        return None

    def first_covering_many(self, points: Sequence[tuple[float, float]]) -> list[int]:
        """Per (lat, long) point, the position of the first covering area, or -1."""
        shapes = shapely.points([(float(long), float(lat)) for lat, long in points])
        point_positions, area_positions = self.tree.query(shapes)
        geometries = numpy.asarray(self.geometries, dtype=object)
        covered = shapely.covers(geometries[area_positions], shapes[point_positions])
        first = [-1] * len(points)
        for point, area in zip(
            point_positions[covered].tolist(), area_positions[covered].tolist(), strict=True
        ):
            if first[point] < 0 or area < first[point]:
                first[point] = area
        return first


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stamp: tuple[Any, ...] | None = None
        self.checked_at = -math.inf
        self.by_kind: dict[str, _KindIndex] = {}


_cache = _Cache()


def _area_index() -> dict[str, _KindIndex]:
    now = time.monotonic()
    interval = float(getattr(settings, "CIVICDESK_GEO_CACHE_CHECK_SECONDS", DEFAULT_CHECK_SECONDS))
    # Rows read inside a transaction may yet be rolled back (tests roll back after every test),
    # so there the stamp is read on every call instead of trusting the clock.
    if (
        _cache.stamp is not None
        and now - _cache.checked_at < interval
        and not connection.in_atomic_block
    ):
        return _cache.by_kind
    stamp = _table_stamp()
    with _cache.lock:
        if stamp != _cache.stamp:
            _cache.by_kind = _build_indexes()
            _cache.stamp = stamp
        _cache.checked_at = now
        return _cache.by_kind


def _table_stamp() -> tuple[Any, ...]:
    stamp = Area.objects.aggregate(count=Count("id"), latest=Max("updated_at"))
    return (stamp["count"], stamp["latest"])


def _build_indexes() -> dict[str, _KindIndex]:
    grouped: dict[str, list[tuple[Area, BaseGeometry]]] = {}
    # Sorted by code so tree positions, and so the winner on a shared border, follow the code.
    for area in Area.objects.order_by("kind", "code").only(*_CACHED_FIELDS, "geometry"):
        geometry = shapely.from_geojson(json.dumps(area.geometry))
        shapely.prepare(geometry)
        # Drop the polygon from the instance; only the prepared copy is kept.
        del area.geometry
        grouped.setdefault(area.kind, []).append((area, geometry))
    return {
        kind: _KindIndex(
            areas=tuple(area for area, _geometry in items),
            geometries=tuple(geometry for _area, geometry in items),
            tree=shapely.STRtree([geometry for _area, geometry in items]),
        )
        for kind, items in grouped.items()
    }


def _detached_copy(area: Area) -> Area:
    # Each caller gets its own instance: the cached one is shared between threads and requests.
    return Area.from_db(
        connection.alias,
        list(_CACHED_FIELDS),
        [getattr(area, name) for name in _CACHED_FIELDS],
    )


# --- Address search (the local gazetteer) ---------------------------------------------------

MAX_SEARCH_LIMIT = 50
MAX_QUERY_CHARS = 500
# Rows read per query: enough to rank well, few enough to stay cheap.
MIN_CANDIDATES = 24
# Shorter street prefixes match so many rows that ranking their numbers would sort much of the
# table; "25 s" lists exact numbers only.
MIN_NEIGHBOUR_PREFIX = 3
EARTH_RADIUS_METRES = 6_371_008.8
MAX_NEAREST_METRES = 1_000.0
_SHORT_UNIT = re.compile(r"^[0-9a-z-]{1,6}$", re.IGNORECASE)


class _Row(NamedTuple):
    """The columns search and reverse lookup read: plain values, no model instances."""

    id: int
    number: str
    street: str
    unit: str
    city: str
    postcode: str
    search_text: str
    street_text: str
    number_value: int
    lat: float
    long: float
    district_code: str | None
    district_name: str | None


_ROW_COLUMNS = (*_Row._fields[:-2], "district__code", "district__name")


@dataclass(frozen=True)
class AddressMatch:
    """One gazetteer address as search and reverse lookup return it."""

    label: str
    lat: float
    long: float
    number: str
    street: str
    unit: str
    city: str
    postcode: str
    district_code: str | None
    district_name: str | None
    distance_metres: float | None = None


def address_label(*, number: str, street: str, unit: str, city: str, postcode: str) -> str:
    """The display form: "25 Sheridan St, #2, Jamaica Plain 02130"."""
    parts = [f"{number} {street}".strip()]
    if unit:
        parts.append(f"#{unit}" if _SHORT_UNIT.match(unit) else unit)
    place = " ".join(part for part in (city, postcode) if part)
    if place:
        parts.append(place)
    return ", ".join(parts)


def address_search(query: str, *, limit: int = 8) -> list[AddressMatch]:
    """Gazetteer addresses for a typed query, best first; [] when nothing matches.

    The query is normalized like the stored keys (`civicdesk.geo.normalize`). With a house
    number: that number on the typed street first (the whole street before one still being
    typed), then other numbers on the same street, nearest number first, then that number on
    other streets that share the first typed word. Without one: the houses of the matching
    streets. When the whole query matches nothing it is retried cut after its last street
    suffix, then down to its first word, so a wrong city or a unit ("Apt 2") does not hide
    the street. At most four indexed queries; never raises for any text.
    """
    # Longer text cannot match a stored key (255 characters) and only costs parsing time.
    parsed = address_query_parse(query[:MAX_QUERY_CHARS] if isinstance(query, str) else "")
    if parsed is None:
        return []
    limit = max(1, min(int(limit), MAX_SEARCH_LIMIT))
    fetch = max(limit * 3, MIN_CANDIDATES)
    found: dict[int, tuple[_Row, int]] = {}
    levels = parsed.prefixes() or [()]
    key_field = "search_text" if parsed.number else "street_text"
    for depth, words in enumerate(levels):
        texts = [f"{parsed.number} {text}".strip() for text in parsed.prefix_texts(words)]
        rows = _rows(
            _any_prefix(key_field, texts),
            order=(key_field, "id") if parsed.number else ("street_text", "number_value", "id"),
            fetch=fetch,
        )
        for row in rows:
            found.setdefault(row.id, (row, depth))
        if found:
            break
    street_texts = parsed.prefix_texts(parsed.street_words())
    if parsed.number and len(found) < limit and min(map(len, street_texts)) >= MIN_NEIGHBOUR_PREFIX:
        # Other houses of the street, nearest number first.
        gap = Abs(F("number_value") - number_value(parsed.number))
        neighbours = _rows(
            _any_prefix("street_text", street_texts) & ~Q(id__in=list(found)),
            order=(gap.asc(), "street_text", "number_value", "id"),
            fetch=fetch,
        )
        for row in neighbours:
            found.setdefault(row.id, (row, len(levels)))
    ranked = sorted(found.values(), key=_ranking(parsed))
    return [_match(row) for row, _depth in ranked[:limit]]


def address_nearest(lat: float, long: float, *, max_metres: float = 75) -> AddressMatch | None:
    """The gazetteer address nearest to a point within `max_metres`, or None.

    For a map pin or "use my location". Reads the rows in a bounding box (indexed lat/long),
    then measures great-circle (haversine) distances; the smaller id wins a tie. Raises
    ValidationError for impossible coordinates or a distance outside (0, 1000] metres.
    """
    coordinates_validate(lat=lat, long=long)
    radius = _finite(max_metres)
    if radius is None or not 0 < radius <= MAX_NEAREST_METRES:
        raise ValidationError(
            {"max_metres": _("The distance must be more than 0 and at most 1000 metres.")}
        )
    lat, long = float(lat), float(long)
    lat_span = math.degrees(radius / EARTH_RADIUS_METRES)
    box = Q(lat__gte=lat - lat_span, lat__lte=lat + lat_span)
    cos_lat = math.cos(math.radians(lat))
    long_span = 360.0 if cos_lat < 1e-9 else lat_span / cos_lat
    if long_span < 180:
        west, east = long - long_span, long + long_span
        if west < -180:  # the box crosses the antimeridian
            box &= Q(long__gte=west + 360) | Q(long__lte=east)
        elif east > 180:
            box &= Q(long__gte=west) | Q(long__lte=east - 360)
        else:
            box &= Q(long__gte=west, long__lte=east)
    best: tuple[float, int] | None = None
    for address_id, row_lat, row_long in Address.objects.filter(box).values_list(
        "id", "lat", "long"
    ):
        distance = haversine_metres(lat, long, row_lat, row_long)
        if distance <= radius and (best is None or (distance, address_id) < best):
            best = (distance, address_id)
    if best is None:
        return None
    (row,) = _rows(Q(id=best[1]), order=("id",), fetch=1)
    return _match(row, distance_metres=round(best[0], 1))


def haversine_metres(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle distance between two WGS 84 points on a sphere of the mean Earth radius."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = math.radians(lat2 - lat1) / 2
    half_dlambda = math.radians(long2 - long1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(a)))


def _rows(condition: Q, *, order: Sequence[Any], fetch: int) -> list[_Row]:
    query = Address.objects.filter(condition).order_by(*order).values_list(*_ROW_COLUMNS)
    return [_Row(*values) for values in query[:fetch]]


def _any_prefix(field: str, prefixes: Sequence[str]) -> Q:
    condition = Q()
    for prefix in prefixes:
        condition |= prefix_condition(field, prefix)
    return condition


def _match(row: _Row, *, distance_metres: float | None = None) -> AddressMatch:
    return AddressMatch(
        label=address_label(
            number=row.number,
            street=row.street,
            unit=row.unit,
            city=row.city,
            postcode=row.postcode,
        ),
        lat=row.lat,
        long=row.long,
        number=row.number,
        street=row.street,
        unit=row.unit,
        city=row.city,
        postcode=row.postcode,
        district_code=row.district_code,
        district_name=row.district_name,
        distance_metres=distance_metres,
    )


@functools.lru_cache(maxsize=4096)
def _street_words(street: str) -> tuple[str, ...]:
    return tuple(street_normalize(street).split())


def _ranking(parsed: AddressQuery) -> Callable[[tuple[_Row, int]], tuple[Any, ...]]:
    """The sort key for (row, depth) candidates of one query; smaller is better: tier, then how
    the row was found, then closeness, then a fixed order so every database agrees."""
    typed = parsed.words
    typed_street = parsed.street_words()
    typed_set = set(typed)
    wanted_value = number_value(parsed.number) if parsed.number else 0

    def key(item: tuple[_Row, int]) -> tuple[Any, ...]:
        row, depth = item
        street_words = _street_words(row.street)
        row_words = tuple(row.street_text.split())
        street_exact = bool(typed) and typed[: len(street_words)] == street_words
        city_differs = street_exact and not _words_start(
            row_words[len(street_words) :], typed[len(street_words) :]
        )
        on_typed_street = _typed_start(row_words, typed_street, parsed)
        on_typed_text = _typed_start(row_words, typed, parsed)
        if parsed.number:
            # The search key starts with the canonical house number.
            number = row.search_text.split(" ", 1)[0]
            if number == parsed.number and street_exact:
                tier = 0
            elif number == parsed.number and (on_typed_text or on_typed_street):
                tier = 1
            elif number.startswith(parsed.number) and not typed:
                tier = 2
            elif on_typed_street:
                tier = 3  # another house of the typed street
            else:
                tier = 4  # found by a shorter prefix: the typed street does not match
            gap = abs(row.number_value - wanted_value)
        else:
            tier = 0 if street_exact else 1 if on_typed_text else 2
            gap = 0
        return (
            tier,
            depth,
            -len(typed_set.intersection(street_words)),
            city_differs,
            bool(parsed.postcode) and row.postcode[:5] != parsed.postcode,
            gap,
            bool(row.unit),
            row.street_text,
            row.number_value,
            row.number,
            row.unit,
            row.id,
        )

    return key


def _typed_start(row_words: tuple[str, ...], typed: tuple[str, ...], parsed: AddressQuery) -> bool:
    """`_words_start` for typed words, trying each form of a still-partial last word."""
    if not typed:
        return False
    if parsed.last_forms and typed == parsed.words:
        return any(_words_start(row_words, (*typed[:-1], form)) for form in parsed.last_forms)
    return _words_start(row_words, typed)


def _words_start(words: tuple[str, ...], typed: tuple[str, ...]) -> bool:
    """True when `typed` is a word-by-word prefix of `words` (the last one may be partial)."""
    if len(typed) > len(words):
        return False
    if not typed:
        return True
    return words[: len(typed) - 1] == typed[:-1] and words[len(typed) - 1].startswith(typed[-1])
