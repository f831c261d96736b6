"""Reading Open311 GET query strings into typed filters, or a 400 that names the parameter.

Query strings come from every kind of client, and some are hostile; every value is checked for
shape, size and range here, so the selectors only ever see clean Python values.
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

T = TypeVar("T")

MAX_SPAN = timedelta(days=90)
DEFAULT_LIMIT = 1000
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
MAX_IDS = 1000
MAX_CODES = 200
MAX_VALUE_LENGTH = 2000
MAX_SEARCH_LENGTH = 200
MAX_RADIUS_METERS = 50_000
# A page this far out cannot hold data; answering it without a query also keeps the OFFSET
# inside the 64-bit range both databases accept.
MAX_OFFSET = 10**12
# Digits beyond this are a typo or an attack, never a real page number or coordinate.
MAX_NUMBER_CHARS = 30
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[0-9]+$")

REQUEST_PARAMS = frozenset(
    {
        "service_request_id",
        "service_code",
        "start_date",
        "end_date",
        "status",
        "page",
        "page_size",
        "extensions",
        "updated_after",
        "updated_before",
        "q",
        "bbox",
        "lat",
        "long",
        "radius",
    }
)
UPDATE_PARAMS = frozenset({"start_date", "end_date", "page", "page_size"})
DETAIL_PARAMS = frozenset({"extensions"})


class ParamError(ValueError):
    """A query parameter the server cannot use; `name` is the parameter at fault."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@dataclass(frozen=True, kw_only=True)
class Paging:
    """Which slice of the ordered result to answer; `explicit` when the client asked to page."""

    offset: int = 0
    limit: int = DEFAULT_LIMIT
    explicit: bool = False


@dataclass(frozen=True, kw_only=True)
class BoundingBox:
    min_lat: float
    min_long: float
    max_lat: float
    max_long: float


@dataclass(frozen=True, kw_only=True)
class Circle:
    lat: float
    long: float
    radius_meters: float


@dataclass(frozen=True, kw_only=True)
class RequestQuery:
    """The filters of GET requests, clean. `references` set means every other filter is off."""

    references: tuple[str, ...] | None = None
    service_codes: tuple[str, ...] | None = None
    requested_from: datetime | None = None
    requested_to: datetime | None = None
    statuses: frozenset[str] | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    search: str = ""
    bbox: BoundingBox | None = None
    circle: Circle | None = None
    extensions: bool = False
    paging: Paging = field(default_factory=Paging)


@dataclass(frozen=True, kw_only=True)
class UpdateQuery:
    """The window of the request-updates feed, oldest first."""

    since: datetime
    until: datetime
    paging: Paging = field(default_factory=Paging)


def _single(params: QueryDict, name: str) -> str | None:
    """The one value of `name`, stripped; None when missing or empty (empty means missing)."""
    values = params.getlist(name)
    if len(values) > 1:
        raise ParamError(name, "give this parameter once; it was given more than once.")
    if not values:
        return None
    value = values[0].strip()
    if "\x00" in value:
        raise ParamError(name, "remove the NUL control character.")
    if len(value) > MAX_VALUE_LENGTH:
        raise ParamError(name, f"use at most {MAX_VALUE_LENGTH:,} characters.")
    return value or None


def _check_known(params: QueryDict, known: frozenset[str]) -> None:
    # Unknown parameters are ignored (clients add api_key or cache busters to GETs), but a
    # known one given twice is ambiguous, so it is refused rather than guessed.
    for name in known:
        _single(params, name)


def _comma_list(name: str, value: str, *, limit: int) -> tuple[str, ...]:
    items = tuple(dict.fromkeys(item.strip() for item in value.split(",") if item.strip()))
    if not items:
        raise ParamError(name, "give at least one value (a comma-separated list).")
    if len(items) > limit:
        raise ParamError(name, f"give at most {limit:,} values.")
    return items


def parse_datetime_param(name: str, value: str, *, end_of_day: bool = False) -> datetime:
    """ISO 8601 with a timezone, or a date (the jurisdiction's day), as an aware datetime.

    A date-only end means the end of that day; a datetime without an offset is read in the
    jurisdiction's zone, which is what a person typing it means.
    """
    zone = ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE)
    expected = (
        "use an ISO 8601 date-time with a timezone (2026-01-31T14:05:00-05:00 or ...Z) "
        "or a date (2026-01-31)."
    )
    if len(value) > 40:
        raise ParamError(name, expected)
    try:
        if _DATE_ONLY.match(value):
            day = date.fromisoformat(value)
            if end_of_day:
                moment = datetime.combine(day, time.max, tzinfo=zone)
            else:
                moment = datetime.combine(day, time.min, tzinfo=zone)
        else:
            if "T" not in value and " " not in value:
                raise ValueError(value)
            moment = datetime.fromisoformat(value)
            if timezone.is_naive(moment):
                moment = moment.replace(tzinfo=zone)
        # Both databases and the 90-day arithmetic need room around the value.
        if not 1900 <= moment.year <= 9998:
            raise ParamError(name, "use a year between 1900 and 9998.")
        return moment.astimezone(ZoneInfo("UTC"))
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, ParamError):
            raise
        raise ParamError(name, expected) from exc


def _datetime(params: QueryDict, name: str, *, end_of_day: bool = False) -> datetime | None:
    value = _single(params, name)
    return None if value is None else parse_datetime_param(name, value, end_of_day=end_of_day)


def _number(name: str, text: str, convert: Callable[[str], T]) -> T:
    if len(text) > MAX_NUMBER_CHARS:
        raise ParamError(name, "this number is too long.")
    try:
        return convert(text)
    except (ValueError, OverflowError) as exc:
        raise ParamError(name, "use a number.") from exc


def _positive_int(params: QueryDict, name: str, *, maximum: int | None = None) -> int | None:
    value = _single(params, name)
    if value is None:
        return None
    if not _INTEGER.match(value):
        raise ParamError(name, "use a whole number of 1 or more.")
    number = _number(name, value, int)
    if number < 1:
        raise ParamError(name, "use a whole number of 1 or more.")
    if maximum is not None and number > maximum:
        raise ParamError(name, f"use at most {maximum:,}.")
    return number


def _finite(name: str, text: str) -> float:
    number = _number(name, text, float)
    if not math.isfinite(number):
        raise ParamError(name, "use a finite decimal number.")
    return number


def _latitude(name: str, text: str) -> float:
    number = _finite(name, text)
    if not -90 <= number <= 90:
        raise ParamError(name, "a latitude is between -90 and 90.")
    return number


def _longitude(name: str, text: str) -> float:
    number = _finite(name, text)
    if not -180 <= number <= 180:
        raise ParamError(name, "a longitude is between -180 and 180.")
    return number


def parse_paging(params: QueryDict) -> Paging:
    """`page`/`page_size`: absent, the first 1,000; present, pages of 50 unless sized."""
    page = _positive_int(params, "page")
    page_size = _positive_int(params, "page_size", maximum=MAX_PAGE_SIZE)
    if page is None and page_size is None:
        return Paging()
    size = page_size or DEFAULT_PAGE_SIZE
    offset = ((page or 1) - 1) * size
    return Paging(offset=min(offset, MAX_OFFSET), limit=size, explicit=True)


def _window(
    params: QueryDict, start_name: str, end_name: str
) -> tuple[datetime | None, datetime | None]:
    start = _datetime(params, start_name)
    end = _datetime(params, end_name, end_of_day=True)
    if start is not None and end is not None:
        if end < start:
            raise ParamError(end_name, f"{end_name} is before {start_name}.")
        if end - start > MAX_SPAN:
            raise ParamError(
                end_name, f"{start_name} to {end_name} may span at most 90 days; ask in windows."
            )
    return start, end


def _statuses(value: str) -> frozenset[str]:
    items = {item.lower() for item in _comma_list("status", value, limit=10)}
    unknown = sorted(items - {"open", "closed"})
    if unknown:
        raise ParamError("status", f"use open and/or closed, not {unknown[0][:40]!r}.")
    return frozenset(items)


def _extensions(params: QueryDict) -> bool:
    value = _single(params, "extensions")
    if value is None:
        return False
    if value.lower() not in ("true", "false"):
        raise ParamError("extensions", "use true or false.")
    return value.lower() == "true"


def _bbox(value: str) -> BoundingBox:
    parts = value.split(",")
    if len(parts) != 4:
        raise ParamError("bbox", "use min_lat,min_long,max_lat,max_long.")
    min_lat, max_lat = (_latitude("bbox", parts[i].strip()) for i in (0, 2))
    min_long, max_long = (_longitude("bbox", parts[i].strip()) for i in (1, 3))
    if min_lat > max_lat or min_long > max_long:
        raise ParamError("bbox", "the minimum corner comes first: min_lat,min_long,max_lat,...")
    return BoundingBox(min_lat=min_lat, min_long=min_long, max_lat=max_lat, max_long=max_long)


def _circle(params: QueryDict) -> Circle | None:
    lat, long, radius = (_single(params, name) for name in ("lat", "long", "radius"))
    if lat is None and long is None and radius is None:
        return None
    if lat is None or long is None or radius is None:
        missing = "lat" if lat is None else "long" if long is None else "radius"
        raise ParamError(missing, "lat, long and radius (meters) go together.")
    meters = _finite("radius", radius)
    if not 0 < meters <= MAX_RADIUS_METERS:
        raise ParamError("radius", f"use meters, more than 0 and at most {MAX_RADIUS_METERS:,}.")
    return Circle(lat=_latitude("lat", lat), long=_longitude("long", long), radius_meters=meters)


def parse_request_query(params: QueryDict, *, now: datetime | None = None) -> RequestQuery:
    """The filters of GET requests.{fmt}; raises ParamError on the first bad parameter."""
    _check_known(params, REQUEST_PARAMS)
    extensions = _extensions(params)
    paging = parse_paging(params)
    ids = _single(params, "service_request_id")
    if ids is not None:
        # The spec: a list of ids overrides every other filter, windows and paging included.
        references = _comma_list("service_request_id", ids, limit=MAX_IDS)
        return RequestQuery(
            references=references, extensions=extensions, paging=Paging(limit=MAX_IDS)
        )

    codes = _single(params, "service_code")
    status = _single(params, "status")
    start, end = _window(params, "start_date", "end_date")
    updated_from, updated_to = _window_unbounded(params)
    search = _single(params, "q") or ""
    if len(search) > MAX_SEARCH_LENGTH:
        raise ParamError("q", f"use at most {MAX_SEARCH_LENGTH} characters.")
    bbox_value = _single(params, "bbox")
    bbox = _bbox(bbox_value) if bbox_value is not None else None
    circle = _circle(params)

    # Only a request with no time filter at all gets the default window of the last 90 days;
    # one bound alone gets a 90-day window on its side, so no query scans all of history.
    if start is None and end is None and updated_from is None and updated_to is None:
        start = (now or timezone.now()) - MAX_SPAN
    elif start is not None and end is None:
        end = start + MAX_SPAN
    elif end is not None and start is None:
        start = end - MAX_SPAN
    return RequestQuery(
        service_codes=_comma_list("service_code", codes, limit=MAX_CODES) if codes else None,
        requested_from=start,
        requested_to=end,
        statuses=_statuses(status) if status else None,
        updated_from=updated_from,
        updated_to=updated_to,
        search=search,
        bbox=bbox,
        circle=circle,
        extensions=extensions,
        paging=paging,
    )


def _window_unbounded(params: QueryDict) -> tuple[datetime | None, datetime | None]:
    # Incremental sync reads everything changed since the last run, however long ago.
    updated_from = _datetime(params, "updated_after")
    updated_to = _datetime(params, "updated_before", end_of_day=True)
    if updated_from is not None and updated_to is not None and updated_to < updated_from:
        raise ParamError("updated_before", "updated_before is before updated_after.")
    return updated_from, updated_to


def parse_update_query(params: QueryDict, *, now: datetime | None = None) -> UpdateQuery:
    """The window of servicerequestupdates.{fmt}: at most 90 days, the last day by default."""
    _check_known(params, UPDATE_PARAMS)
    paging = parse_paging(params)
    start, end = _window(params, "start_date", "end_date")
    if start is None and end is None:
        end = now or timezone.now()
        start = end - timedelta(days=1)
    elif start is None and end is not None:
        start = end - MAX_SPAN
    elif start is not None and end is None:
        end = start + MAX_SPAN
    if start is None or end is None:  # pragma: no cover - every branch above sets both
        raise ParamError("start_date", "give a window.")
    return UpdateQuery(since=start, until=end, paging=paging)


def parse_detail_query(params: QueryDict) -> bool:
    """`extensions` on GET requests/{id}: whether to add attributes and notes."""
    _check_known(params, DETAIL_PARAMS)
    return _extensions(params)
