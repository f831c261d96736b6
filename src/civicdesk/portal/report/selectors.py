"""Reads for the report flow: open requests of the same kind nearby, and the map's extent."""

import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Min

from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.models import Case
from civicdesk.catalog.models import ServiceType
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area
from civicdesk.geo.selectors import EARTH_RADIUS_METRES, haversine_metres
from civicdesk.portal.selectors import OPEN_STATUSES

NEARBY_METRES = 150.0
NEARBY_LIMIT = 5
# Candidates read from the bounding box before measuring; the newest first.
NEARBY_CANDIDATES = 200


@dataclass(frozen=True)
class NearbyRequest:
    """An open request near the resident's point: only what the public feeds show anyway."""

    reference: str
    status: CaseStatus
    address: str
    requested_at: datetime
    distance_metres: float


def open_requests_near(
    *,
    service_type: ServiceType,
    lat: float,
    long: float,
    radius_metres: float = NEARBY_METRES,
    limit: int = NEARBY_LIMIT,
) -> list[NearbyRequest]:
    """Open requests of this service type within `radius_metres`, nearest first; one query.

    Reads the cases in a bounding box around the point (a city never straddles the
    antimeridian or a pole), then measures great-circle distances. Private service types have
    no public requests, so they give none.
    """
    if not service_type.is_public:
        return []
    lat_span = math.degrees(radius_metres / EARTH_RADIUS_METRES)
    long_span = lat_span / max(math.cos(math.radians(lat)), 1e-6)
    rows = (
        Case.objects.filter(
            service_type=service_type,
            status__in=OPEN_STATUSES,
            lat__range=(lat - lat_span, lat + lat_span),
            long__range=(long - long_span, long + long_span),
        )
        .order_by("-requested_at", "-id")
        .values_list("reference", "status", "address", "requested_at", "lat", "long")[
            :NEARBY_CANDIDATES
        ]
    )
    found = []
    for reference, status, address, requested_at, row_lat, row_long in rows:
        if row_lat is None or row_long is None:  # pragma: no cover - excluded by the box
            continue
        distance = haversine_metres(lat, long, row_lat, row_long)
        if distance <= radius_metres:
            found.append(
                NearbyRequest(
                    reference=reference,
                    status=CaseStatus(status),
                    address=address,
                    requested_at=requested_at,
                    distance_metres=round(distance),
                )
            )
    found.sort(key=lambda request: (request.distance_metres, request.reference))
    return found[:limit]


def jurisdiction_extent() -> tuple[float, float, float, float] | None:
    """(south, west, north, east) of the jurisdiction's boundary, to frame the map; None when
    no boundary is loaded. One query."""
    extent = Area.objects.filter(kind=AreaKind.JURISDICTION).aggregate(
        south=Min("min_lat"), west=Min("min_long"), north=Max("max_lat"), east=Max("max_long")
    )
    if extent["south"] is None:
        return None
    return (extent["south"], extent["west"], extent["north"], extent["east"])
