"""Geohash cells: neighbours, and the cells that cover a circle, checked point by point."""

import math

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from civicdesk.geo.cells import (
    CELL_PRECISION,
    EARTH_RADIUS_METRES,
    cell_ranges,
    cell_size_degrees,
    covering_cells,
    geo_cell,
    geohash_bounds,
    geohash_encode,
    neighbours,
    prefix_upper_bound,
)
from civicdesk.geo.selectors import haversine_metres

CITY_HALL = (42.3601, -71.0589)


def destination(lat: float, long: float, bearing: float, metres: float) -> tuple[float, float]:
    """The point `metres` from (lat, long) along `bearing` degrees, on the same sphere."""
    angle = metres / EARTH_RADIUS_METRES
    phi, lam, theta = math.radians(lat), math.radians(long), math.radians(bearing)
    phi2 = math.asin(
        math.sin(phi) * math.cos(angle) + math.cos(phi) * math.sin(angle) * math.cos(theta)
    )
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(angle) * math.cos(phi),
        math.cos(angle) - math.sin(phi) * math.sin(phi2),
    )
    long2 = (math.degrees(lam2) + 540.0) % 360.0 - 180.0
    return math.degrees(phi2), long2


def covered(cells: list[str], lat: float, long: float) -> bool:
    own = geohash_encode(lat, long)
    return any(own.startswith(cell) for cell in cells)


latitudes = st.floats(min_value=-90.0, max_value=90.0, allow_nan=False)
longitudes = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)
radii = st.floats(min_value=0.0, max_value=2000.0, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(
    lat=latitudes,
    long=longitudes,
    radius=radii,
    bearing=st.floats(min_value=0.0, max_value=360.0),
    share=st.floats(min_value=0.0, max_value=1.0),
)
@example(lat=42.3601, long=179.9995, radius=100.0, bearing=90.0, share=1.0)  # antimeridian
@example(lat=89.9995, long=10.0, radius=500.0, bearing=0.0, share=1.0)  # over the pole
@example(lat=-89.9999, long=0.0, radius=100.0, bearing=180.0, share=1.0)
@example(lat=80.0, long=0.0, radius=2000.0, bearing=90.0, share=1.0)  # widest at high latitude
def test_every_point_within_the_radius_lies_in_a_returned_cell(lat, long, radius, bearing, share):
    point = destination(lat, long, bearing, radius * share)
    assume(haversine_metres(lat, long, *point) <= radius)

    cells = covering_cells(lat, long, radius)

    assert covered(cells, *point), (cells, point)


@settings(max_examples=200, deadline=None)
@given(lat=st.floats(min_value=-60.0, max_value=60.0), long=longitudes)
def test_a_default_radius_in_a_city_is_a_few_full_precision_cells(lat, long):
    cells = covering_cells(lat, long, 100.0)

    assert all(len(cell) == CELL_PRECISION for cell in cells)
    # 200 m across is at most three cells of ~153 m each way (wider than tall away from the
    # equator, so more columns there).
    assert len(cells) <= 3 * math.ceil(200 / (153 * math.cos(math.radians(abs(lat)) + 0.02)) + 1)
    assert geo_cell(lat, long) in cells


def test_points_either_side_of_a_cell_edge_are_both_covered():
    south, west, north, east = geohash_bounds(geo_cell(*CITY_HALL))
    height, width = cell_size_degrees()
    assert math.isclose(north - south, height) and math.isclose(east - west, width)
    on_edge = (north, (west + east) / 2)
    just_below = (north - 1e-9, on_edge[1])

    cells = covering_cells(*on_edge, 30.0)

    assert geohash_encode(*on_edge) != geohash_encode(*just_below)
    assert covered(cells, *on_edge) and covered(cells, *just_below)


def test_a_large_radius_falls_back_to_coarser_cells_matched_as_prefixes():
    cells = covering_cells(*CITY_HALL, 2000.0)

    assert len(cells) <= 64
    assert len({len(cell) for cell in cells}) == 1 and len(cells[0]) < CELL_PRECISION
    for bearing in range(0, 360, 15):
        assert covered(cells, *destination(*CITY_HALL, bearing, 1999.0))


def test_a_zero_radius_is_the_point_s_own_cell():
    assert covering_cells(*CITY_HALL, 0.0) == [geo_cell(*CITY_HALL)]


def test_off_the_globe_or_a_negative_radius_is_refused():
    with pytest.raises(ValueError):
        covering_cells(91.0, 0.0, 10.0)
    with pytest.raises(ValueError):
        covering_cells(0.0, 0.0, -1.0)
    with pytest.raises(ValueError):
        neighbours("drt2a")  # "a" is not in the geohash alphabet


def test_neighbours_touch_the_cell_on_every_side():
    cell = geo_cell(*CITY_HALL)
    south, west, north, east = geohash_bounds(cell)
    height, width = cell_size_degrees()

    around = neighbours(cell)

    assert len(around) == 8 and cell not in around
    centres = sorted(
        (round((s + n) / 2 - (south + north) / 2, 9), round((w + e) / 2 - (west + east) / 2, 9))
        for s, w, n, e in map(geohash_bounds, around)
    )
    expected = sorted(
        (round(dy * height, 9), round(dx * width, 9))
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
        if (dy, dx) != (0, 0)
    )
    assert centres == expected


def test_neighbours_wrap_across_the_antimeridian_and_stop_at_the_pole():
    east_edge = geohash_encode(0.0, 179.9999)
    assert geohash_encode(0.0, -179.9999) in neighbours(east_edge)
    assert len(neighbours(geohash_encode(89.99999, 0.0))) == 5


@given(lat=latitudes, long=longitudes)
def test_a_point_lies_inside_the_bounds_of_its_cell(lat, long):
    south, west, north, east = geohash_bounds(geohash_encode(lat, long))
    assert south <= lat <= north and west <= long <= east


def test_prefix_ranges_join_neighbouring_prefixes():
    assert prefix_upper_bound("drt2") == "drt3"
    assert prefix_upper_bound("drtz") == "dru"
    assert prefix_upper_bound("zz") is None
    assert cell_ranges(["drt3", "drt2", "drt5"]) == [("drt2", "drt4"), ("drt5", "drt6")]
    assert cell_ranges(["zy", "zz"]) == [("zy", None)]
