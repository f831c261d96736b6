"""Reads for named areas: which area holds a point, and whether a point is in the jurisdiction.

Every new case and every row of a bulk import asks these questions, so the polygons are kept in
memory per process as prepared shapely geometries behind an STRtree per area kind. A cheap stamp
(row count and latest `updated_at`) tells when the table changed; it is read at most every
`CIVICDESK_GEO_CACHE_CHECK_SECONDS` seconds, and the import services clear the cache on commit.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area

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
