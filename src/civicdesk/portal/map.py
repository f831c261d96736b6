"""The public map of requests: the list's filters (with districts), points and outlines.

The list at `portal:requests` is the page; the map above it is an enhancement drawn by
`static/portal/map.js` from two JSON endpoints, so without JavaScript nothing is lost:

* `portal:requests-map` — the points of the list page being shown (same filters, same page),
  with public fields only: reference, service name, status, coordinates as Open311 shows them,
  requested date;
* `portal:districts-geojson` — the district outlines, simplified and cached.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import shapely
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area
from civicdesk.portal.forms import RequestFilterForm
from civicdesk.portal.labels import STATUS_LABELS
from civicdesk.portal.selectors import (
    PublicRequestPage,
    public_request_page,
    service_type_list_portal,
)

# About 10 m at mid latitudes: invisible at the zoom a district is seen whole, while survey-grade
# boundary files (often megabytes of points) come down to what a phone can draw quickly. The
# demo's 32 neighbourhoods are about 23 KB.
OUTLINE_TOLERANCE_DEGREES = 0.0001
OUTLINE_GRID_DEGREES = 0.00001
OUTLINE_CACHE_SECONDS = 24 * 3600
OUTLINE_CACHE_KEY = "portal:district-outlines:v1:{stamp}"
OUTLINE_MAX_AGE_SECONDS = 300


def district_choices() -> list[tuple[str, str]]:
    """(code, name) of every district, by name, for the filter; one query."""
    return list(
        Area.objects.filter(kind=AreaKind.DISTRICT)
        .order_by("name", "code")
        .values_list("code", "name")
    )


@dataclass(frozen=True)
class RequestFilter:
    """The public list's filters as the resident chose them; bad values are ignored."""

    form: RequestFilterForm
    status: str
    service_code: str
    district_code: str
    service_names: dict[str, str]

    @property
    def active(self) -> bool:
        return bool(self.status or self.service_code or self.district_code)

    def page(self, number: str | None) -> PublicRequestPage:
        return public_request_page(
            page=number,
            status=self.status,
            service_code=self.service_code,
            district_code=self.district_code,
            service_names=self.service_names,
        )


def request_filter(request: HttpRequest) -> RequestFilter:
    """Read the list's filters from the query string: two queries (services, districts)."""
    services = sorted(service_type_list_portal(), key=lambda s: s.display_name.casefold())
    names = {service.code: service.display_name for service in services}
    form = RequestFilterForm(
        request.GET,
        service_choices=[(service.code, service.display_name) for service in services],
        district_choices=district_choices(),
    )
    status = service_code = district_code = ""
    if form.is_valid():
        status = form.cleaned_data["status"]
        service_code = form.cleaned_data["service"]
        district_code = form.cleaned_data["district"]
    return RequestFilter(form, status, service_code, district_code, names)


def map_settings() -> dict[str, str]:
    """What the map needs to know about tiles; an empty URL means outlines only."""
    return {
        "tile_url": str(getattr(settings, "CIVICDESK_MAP_TILE_URL", "")),
        "tile_attribution": str(getattr(settings, "CIVICDESK_MAP_TILE_ATTRIBUTION", "")),
    }


@require_safe
def requests_map(request: HttpRequest) -> JsonResponse:
    """The points of one page of the public list, as a GeoJSON FeatureCollection."""
    filters = request_filter(request)
    result = filters.page(request.GET.get("page"))
    track = reverse("portal:track")
    features = []
    for row in result.rows:
        record = row.record
        if record["lat"] is None or record["long"] is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [record["long"], record["lat"]]},
                "properties": {
                    "reference": record["service_request_id"],
                    "service_name": row.service_name,
                    "status": row.status.value,
                    "status_label": str(STATUS_LABELS.get(row.status, row.status)),
                    "requested_datetime": record["requested_datetime"],
                    "url": f"{track}?reference={record['service_request_id']}",
                },
            }
        )
    page = result.page
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "count": page.paginator.count,
        }
    )


@require_safe
def districts_geojson(request: HttpRequest) -> JsonResponse:
    """District outlines for the map, simplified; public reference data, cached."""
    response = JsonResponse(district_outlines())
    response["Cache-Control"] = f"public, max-age={OUTLINE_MAX_AGE_SECONDS}"
    return response


def district_outlines() -> dict[str, Any]:
    """Every district as a simplified GeoJSON Feature (code, name); one query when cached.

    Kept in the cache under a stamp of the districts (count and latest change), so importing
    boundaries shows on the next call.
    """
    stamp = Area.objects.filter(kind=AreaKind.DISTRICT).aggregate(
        count=Count("id"), latest=Max("updated_at")
    )
    digest = hashlib.sha256(repr(sorted(stamp.items())).encode()).hexdigest()[:16]
    key = OUTLINE_CACHE_KEY.format(stamp=digest)
    cached: dict[str, Any] | None = cache.get(key)
    if cached is not None:
        return cached
    features = []
    for area in (
        Area.objects.filter(kind=AreaKind.DISTRICT)
        .order_by("code")
        .only("code", "name", "geometry")
    ):
        shape = shapely.from_geojson(json.dumps(area.geometry))
        outline = shapely.set_precision(
            shapely.simplify(shape, OUTLINE_TOLERANCE_DEGREES, preserve_topology=True),
            OUTLINE_GRID_DEGREES,
        )
        if outline.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"code": area.code, "name": area.name},
                "geometry": json.loads(shapely.to_geojson(outline)),
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    cache.set(key, collection, OUTLINE_CACHE_SECONDS)
    return collection
