"""What every row parser shares: the row error, and parsing of text, times and coordinates.

Everything here is pure (no database, no settings) so the parsers can be tested on random input.
A parser either returns a record or raises `RowError`; nothing else escapes it.
"""

import math
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from civicdesk.cases.services.opening import Location

MAX_DESCRIPTION_LENGTH = 4000
MAX_ADDRESS_LENGTH = 300
MAX_ZIPCODE_LENGTH = 16
MAX_EXTERNAL_ID_LENGTH = 100
MAX_MEDIA_URL_LENGTH = 1000

# Exports write these for "no value"; they must not reach a field as text.
BLANKS = frozenset({"", "na", "n/a", "null", "none", "unspecified"})

_url_validator = URLValidator(schemes=["http", "https"])


class RowError(Exception):
    """Why one row cannot be imported. `reason` groups rows in the report, so keep it stable."""

    def __init__(self, reason: str, field: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def text_value(row: Mapping[str, object], key: str) -> str:
    """A cell as stripped text; JSON numbers and null come out as text and ''."""
    value = row.get(key)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        text = str(value)
    else:
        raise RowError(f"{key} is not a single value", key)
    # NUL and lone surrogates cannot be stored by every database backend.
    if "\x00" in text:
        raise RowError("contains a NUL character", key)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise RowError("not valid UTF-8", key) from None
    return text.strip()


def optional_value(row: Mapping[str, object], key: str) -> str:
    """Like `text_value`, with the export placeholders (NA, N/A, null) read as blank."""
    text = text_value(row, key)
    return "" if text.lower() in BLANKS else text


def required_value(row: Mapping[str, object], key: str, label: str) -> str:
    text = optional_value(row, key)
    if not text:
        raise RowError(f"missing {label}", key)
    return text


def iso_datetime_parse(text: str, *, field: str, naive_zone: tzinfo) -> datetime:
    """An ISO 8601 time as aware UTC; a time without offset is read in `naive_zone`."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RowError(f"{field} is not a date and time", field) from None
    return aware_utc(parsed, field=field, naive_zone=naive_zone)


def aware_utc(value: datetime, *, field: str, naive_zone: tzinfo) -> datetime:
    try:
        aware = value.replace(tzinfo=naive_zone) if value.tzinfo is None else value
        return aware.astimezone(UTC)
    except (OverflowError, ValueError):
        # Year 1 or 9999 shifted by the offset falls outside what datetime can hold.
        raise RowError(f"{field} is out of range", field) from None


def description_check(description: str) -> str:
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise RowError("description longer than 4,000 characters", "description")
    return description


def external_id_check(external_id: str, *, field: str) -> str:
    if len(external_id) > MAX_EXTERNAL_ID_LENGTH:
        raise RowError(f"{field} longer than {MAX_EXTERNAL_ID_LENGTH} characters", field)
    return external_id


def media_url_check(url: str, *, field: str) -> str:
    if not url:
        return ""
    if len(url) > MAX_MEDIA_URL_LENGTH:
        raise RowError(f"{field} longer than {MAX_MEDIA_URL_LENGTH:,} characters", field)
    try:
        _url_validator(url)
    except ValidationError:
        raise RowError(f"{field} is not a web address", field) from None
    return url


def closed_order_check(*, requested_at: datetime, closed_at: datetime | None, field: str) -> None:
    if closed_at is not None and closed_at < requested_at:
        raise RowError("closed before opened", field)


def location_parse(
    *,
    lat_text: str,
    long_text: str,
    address: str,
    zipcode: str = "",
    address_id: str = "",
    lat_field: str = "lat",
    long_field: str = "long",
) -> Location:
    """A `Location` without district; both coordinates or neither, finite numbers in range.

    The range check mirrors `geo.selectors.coordinates_validate`, which the runner also applies,
    so that this stays pure; the jurisdiction and the district need the database and are the
    runner's job.
    """
    if len(address) > MAX_ADDRESS_LENGTH:
        raise RowError(f"address longer than {MAX_ADDRESS_LENGTH} characters", "address")
    if len(zipcode) > MAX_ZIPCODE_LENGTH:
        raise RowError(f"zip code longer than {MAX_ZIPCODE_LENGTH} characters", "zipcode")
    if len(address_id) > MAX_EXTERNAL_ID_LENGTH:
        raise RowError(f"address_id longer than {MAX_EXTERNAL_ID_LENGTH} characters", "address_id")
    if not lat_text and not long_text:
        return Location(address=address, address_id=address_id, zipcode=zipcode)
    if not long_text:
        raise RowError(f"{lat_field} without {long_field}", long_field)
    if not lat_text:
        raise RowError(f"{long_field} without {lat_field}", lat_field)
    lat = _coordinate(lat_text, field=lat_field, limit=90)
    long = _coordinate(long_text, field=long_field, limit=180)
    return Location(lat=lat, long=long, address=address, address_id=address_id, zipcode=zipcode)


def _coordinate(text: str, *, field: str, limit: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise RowError(f"{field} is not a number", field) from None
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise RowError(f"{field} is out of range", field)
    return value
