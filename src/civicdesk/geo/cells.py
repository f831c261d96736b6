"""Geohash cells: a short string key per location, so nearby requests share an indexed prefix."""

_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
# Precision 7 cells are about 153 m by 153 m at the equator (narrower east-west further north):
# a request's own cell and its eight neighbours cover any duplicate radius up to one cell.
CELL_PRECISION = 7


def geohash_encode(lat: float, long: float, precision: int = CELL_PRECISION) -> str:
    """The geohash of a point, `precision` characters long."""
    lat_range = [-90.0, 90.0]
    long_range = [-180.0, 180.0]
    chars: list[str] = []
    bits = 0
    value = 0
    even = True
    while len(chars) < precision:
        span = long_range if even else lat_range
        coordinate = long if even else lat
        middle = (span[0] + span[1]) / 2
        value <<= 1
        if coordinate >= middle:
            value |= 1
            span[0] = middle
        else:
            span[1] = middle
        even = not even
        bits += 1
        if bits == 5:
            chars.append(_BASE32[value])
            bits = 0
            value = 0
    return "".join(chars)


def geo_cell(lat: float | None, long: float | None) -> str:
    """The case's indexed cell, or "" for a request without a location."""
    if lat is None or long is None:
        return ""
    return geohash_encode(lat, long)
