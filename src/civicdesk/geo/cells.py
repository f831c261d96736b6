"""Geohash cells: a short string key per location, so nearby requests share an indexed prefix.

A geohash interleaves longitude and latitude bits (longitude first) and writes them five at a
time in base 32; a cell of `p` characters is a rectangle of the grid with `ceil(5p/2)` bits of
longitude and `floor(5p/2)` of latitude. Finding the requests near a point is then a handful of
equality (or prefix) lookups on an indexed column instead of a scan, whatever the database.

Pure Python, no Django: the cases migration and the benchmark read it too.
"""

import math

_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
_DECODE = {char: index for index, char in enumerate(_BASE32)}
# Precision 7 cells are about 153 m by 153 m at the equator (narrower east-west further north):
# a request's own cell and its eight neighbours cover any duplicate radius up to one cell.
CELL_PRECISION = 7
# More cells than this and a coarser precision covers the circle in fewer index lookups
# (PostgreSQL also stops reasoning about `IN` lists past 100 items).
MAX_COVER_CELLS = 64
EARTH_RADIUS_METRES = 6_371_008.8
# Float slack, in degrees (about a millimetre), so a point exactly on the circle stays inside.
_SLACK_DEGREES = 1e-8


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


def _bit_counts(precision: int) -> tuple[int, int]:
    """(latitude bits, longitude bits) of a cell of `precision` characters."""
    total = 5 * precision
    return total // 2, (total + 1) // 2


def cell_size_degrees(precision: int = CELL_PRECISION) -> tuple[float, float]:
    """(height, width) of a cell in degrees of latitude and of longitude."""
    lat_bits, long_bits = _bit_counts(precision)
    return 180.0 / 2**lat_bits, 360.0 / 2**long_bits


def _indices(cell: str) -> tuple[int, int]:
    """The cell's (row, column) in the grid of its precision: row 0 at the south pole, column 0
    at the antimeridian."""
    lat_index = long_index = 0
    even = True
    for char in cell:
        try:
            value = _DECODE[char]
        except KeyError:
            raise ValueError(f"{cell!r} is not a geohash.") from None
        for shift in range(4, -1, -1):
            bit = (value >> shift) & 1
            if even:
                long_index = (long_index << 1) | bit
            else:
                lat_index = (lat_index << 1) | bit
            even = not even
    return lat_index, long_index


def _cell(lat_index: int, long_index: int, precision: int) -> str:
    """The cell at (row, column) of the grid of `precision`."""
    lat_bits, long_bits = _bit_counts(precision)
    value = 0
    for position in range(5 * precision):
        # Bit `position` from the left: even positions are longitude, odd ones latitude.
        if position % 2 == 0:
            bit = (long_index >> (long_bits - 1 - position // 2)) & 1
        else:
            bit = (lat_index >> (lat_bits - 1 - position // 2)) & 1
        value = (value << 1) | bit
    return "".join(
        _BASE32[(value >> (5 * (precision - 1 - index))) & 31] for index in range(precision)
    )


def geohash_bounds(cell: str) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a cell, in degrees."""
    height, width = cell_size_degrees(len(cell))
    lat_index, long_index = _indices(cell)
    south = -90.0 + lat_index * height
    west = -180.0 + long_index * width
    return south, west, south + height, west + width


def neighbours(cell: str) -> list[str]:
    """The cells around `cell` (eight, or five at the top or bottom row), same precision.

    East-west wraps across the antimeridian; there is nothing north of the northernmost row.
    """
    precision = len(cell)
    lat_bits, long_bits = _bit_counts(precision)
    lat_index, long_index = _indices(cell)
    found = []
    for lat_step in (1, 0, -1):
        row = lat_index + lat_step
        if not 0 <= row < 2**lat_bits:
            continue
        for long_step in (-1, 0, 1):
            if lat_step == 0 and long_step == 0:
                continue
            found.append(_cell(row, (long_index + long_step) % 2**long_bits, precision))
    return found


def _longitude_spans(long: float, half_width: float) -> list[tuple[float, float]]:
    """[west, east] intervals within -180..180 covering long ± half_width."""
    if half_width >= 180.0:
        return [(-180.0, 180.0)]
    west, east = long - half_width, long + half_width
    if west < -180.0:
        return [(west + 360.0, 180.0), (-180.0, east)]
    if east > 180.0:
        return [(west, 180.0), (-180.0, east - 360.0)]
    return [(west, east)]


def _circle_box(lat: float, long: float, radius_metres: float) -> tuple[float, float, float]:
    """(south, north, half width in longitude) of a box holding every point within the radius."""
    angle = radius_metres / EARTH_RADIUS_METRES
    half_height = math.degrees(angle) + _SLACK_DEGREES
    south, north = lat - half_height, lat + half_height
    if south <= -90.0 or north >= 90.0:
        # The circle holds a pole, so every longitude.
        return max(south, -90.0), min(north, 90.0), 180.0
    # The widest point of a spherical cap is asin(sin r / cos lat) away in longitude, a bit
    # more than r / cos lat; the simpler figure would miss points at high latitudes.
    ratio = math.sin(angle) / math.cos(math.radians(lat))
    if ratio >= 1.0:
        return south, north, 180.0
    return south, north, math.degrees(math.asin(ratio)) + _SLACK_DEGREES


def _cover(
    south: float, north: float, spans: list[tuple[float, float]], precision: int
) -> list[tuple[int, list[int]]]:
    """Rows, and the columns in each, of the cells of `precision` meeting the box."""
    low_row, _column = _indices(geohash_encode(south, 0.0, precision))
    high_row, _column = _indices(geohash_encode(north, 0.0, precision))
    columns: list[int] = []
    for west, east in spans:
        _row, first = _indices(geohash_encode(0.0, west, precision))
        _row, last = _indices(geohash_encode(0.0, east, precision))
        columns.extend(range(first, last + 1))
    return [(row, sorted(set(columns))) for row in range(low_row, high_row + 1)]


def covering_cells(
    lat: float,
    long: float,
    radius_metres: float,
    *,
    precision: int = CELL_PRECISION,
    max_cells: int = MAX_COVER_CELLS,
) -> list[str]:
    """Cells that together hold every point within `radius_metres` of (lat, long), sorted.

    All of one precision: `precision` when at most `max_cells` of them do, else the finest
    coarser one that does. A coarser cell is a prefix of the finer cells inside it, so callers
    match stored precision-7 cells against it as a prefix (`cell_ranges`). A circle reaching a
    pole or the antimeridian is covered too, with more or coarser cells.
    """
    if not (-90.0 <= lat <= 90.0 and -180.0 <= long <= 180.0):
        raise ValueError("The point is not on the globe.")
    if radius_metres < 0 or not math.isfinite(radius_metres):
        raise ValueError("The radius must be a finite distance of at least 0 metres.")
    south, north, half_width = _circle_box(lat, long, radius_metres)
    spans = _longitude_spans(long, half_width)
    for size in range(precision, 0, -1):
        cover = _cover(south, north, spans, size)
        if sum(len(columns) for _row, columns in cover) <= max_cells or size == 1:
            return sorted(_cell(row, column, size) for row, columns in cover for column in columns)
    raise AssertionError("unreachable")  # pragma: no cover


def prefix_upper_bound(prefix: str) -> str | None:
    """The first geohash string after every string starting with `prefix`, or None when no
    geohash sorts after them ("zz")."""
    chars = list(prefix)
    while chars:
        index = _DECODE[chars[-1]]
        if index + 1 < len(_BASE32):
            chars[-1] = _BASE32[index + 1]
            return "".join(chars)
        chars.pop()
    return None


def cell_ranges(cells: list[str]) -> list[tuple[str, str | None]]:
    """Half-open [low, high) string ranges holding every geohash that starts with one of
    `cells`; neighbouring prefixes are joined, so a block of cells is a few ranges. `high`
    None means no upper bound."""
    ranges: list[tuple[str, str | None]] = []
    for cell in sorted(set(cells)):
        high = prefix_upper_bound(cell)
        if ranges and ranges[-1][1] == cell:
            ranges[-1] = (ranges[-1][0], high)
        else:
            ranges.append((cell, high))
    return ranges
