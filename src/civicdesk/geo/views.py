"""Public JSON reads over the address gazetteer, for the portal's address field and any client.

`GET /geo/addresses?q=25+Sheridan+St[&limit=8]` and
`GET /geo/addresses/reverse?lat=42.32&long=-71.10[&radius=75]` both answer
`{"results": [...]}`. Bad parameters answer 400 with the API's error shape
(`{"detail": ..., "errors": {"field": [...]}}`), never a 500. The answers depend only on the URL
and the loaded gazetteer, so they may be cached publicly for a short while; any origin may read
them (the gazetteer is public reference data, with nothing about people).
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from civicdesk.geo.selectors import (
    AddressMatch,
    address_nearest,
    address_search,
    coordinates_validate,
)

MAX_QUERY_LENGTH = 200
MAX_LIMIT = 20
DEFAULT_LIMIT = 8
DEFAULT_RADIUS_METRES = 75.0
MAX_RADIUS_METRES = 500.0
CACHE_SECONDS = 300


@require_safe
def address_search_view(request: HttpRequest) -> JsonResponse:
    """Addresses matching the typed text `q`, best first."""
    query = request.GET.get("q", "")
    if not query.strip():
        return _bad_request("q", _("Enter an address to search for."))
    if len(query) > MAX_QUERY_LENGTH:
        return _bad_request(
            "q",
            _("The address is too long (at most %(max)d characters).") % {"max": MAX_QUERY_LENGTH},
        )
    limit = _whole_number(request.GET.get("limit"), default=DEFAULT_LIMIT)
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        return _bad_request(
            "limit", _("limit must be a whole number from 1 to %(max)d.") % {"max": MAX_LIMIT}
        )
    matches = address_search(query, limit=limit)
    return _results([_match_json(match) for match in matches])


@require_safe
def address_reverse_view(request: HttpRequest) -> JsonResponse:
    """The address nearest to `lat`/`long` within `radius` metres: zero or one result."""
    lat = request.GET.get("lat", "").strip()
    long = request.GET.get("long", "").strip()
    radius_text = request.GET.get("radius", "").strip()
    errors: dict[str, list[str]] = {}
    try:
        coordinates_validate(lat=lat, long=long)
    except ValidationError as error:
        errors.update(error.message_dict)
    for name, value in (("lat", lat), ("long", long)):
        if not value:
            errors[name] = [_("This parameter is required.")]
    radius = _number(radius_text) if radius_text else DEFAULT_RADIUS_METRES
    if radius is None or not 1 <= radius <= MAX_RADIUS_METRES:
        radius = DEFAULT_RADIUS_METRES
        errors["radius"] = [
            _("radius must be a number of metres from 1 to %(max)d.") % {"max": MAX_RADIUS_METRES}
        ]
    if errors:
        return _error_response(errors)
    match = address_nearest(float(lat), float(long), max_metres=radius)
    return _results([] if match is None else [_match_json(match, with_distance=True)])


def _match_json(match: AddressMatch, *, with_distance: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "label": match.label,
        "lat": match.lat,
        "long": match.long,
        "district": (
            {"code": match.district_code, "name": match.district_name}
            if match.district_code is not None
            else None
        ),
        "number": match.number,
        "street": match.street,
        "unit": match.unit,
        "city": match.city,
        "postcode": match.postcode,
    }
    if with_distance:
        body["distance_metres"] = match.distance_metres
    return body


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _whole_number(text: str | None, *, default: int) -> int | None:
    if text is None or not text.strip():
        return default
    stripped = text.strip()
    return (
        int(stripped) if stripped.isascii() and stripped.isdigit() and len(stripped) < 6 else None
    )


def _results(results: list[dict[str, Any]]) -> JsonResponse:
    response = JsonResponse({"results": results})
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bad_request(field: str, message: str) -> JsonResponse:
    return _error_response({field: [message]})


def _error_response(errors: dict[str, list[str]]) -> JsonResponse:
    response = JsonResponse(
        {"detail": _("The request has an invalid parameter."), "errors": errors}, status=400
    )
    response["Cache-Control"] = "no-store"
    response["Access-Control-Allow-Origin"] = "*"
    return response
