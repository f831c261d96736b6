"""Reverse lookup: the address nearest a map pin or "use my location"."""

import math

import pytest
from django.core.exceptions import ValidationError

from civicdesk.geo.models import Address
from civicdesk.geo.selectors import (
    EARTH_RADIUS_METRES,
    address_nearest,
    haversine_metres,
)

# Boston City Hall; 0.0001 degree of latitude is 11.12 m.
LAT, LONG = 42.3603, -71.0580
METRES_PER_DEGREE = EARTH_RADIUS_METRES * math.pi / 180


def add(number, lat, long, street="Test St"):
    return Address.objects.create(
        number=number,
        street=street,
        search_text=f"{number} test street",
        street_text="test street",
        lat=lat,
        long=long,
        source="test",
        external_id=f"{number}-{lat}-{long}",
    )


def test_haversine_against_known_distances():
    assert haversine_metres(0, 0, 1, 0) == pytest.approx(METRES_PER_DEGREE, abs=0.01)
    assert haversine_metres(0, 0, 0, 1) == pytest.approx(METRES_PER_DEGREE, abs=0.01)
    # A degree of longitude shrinks with the cosine of the latitude.
    assert haversine_metres(60, 0, 60, 1) == pytest.approx(METRES_PER_DEGREE / 2, rel=1e-3)
    # Over half a kilometre the flat-earth (equirectangular) estimate agrees within 0.5 m.
    dlat, dlong = 0.0015 * METRES_PER_DEGREE, 0.0058 * METRES_PER_DEGREE * math.cos(0.7393)
    assert haversine_metres(42.3603, -71.0580, 42.3588, -71.0638) == pytest.approx(
        math.hypot(dlat, dlong), abs=0.5
    )
    assert haversine_metres(10, 20, 10, 20) == 0
    assert haversine_metres(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_METRES)


@pytest.mark.django_db
def test_nearest_within_the_radius_with_its_distance():
    add("1", LAT + 0.0003, LONG)  # 33.4 m north
    add("2", LAT, LONG + 0.0005)  # 41.1 m east
    add("3", LAT - 0.0010, LONG)  # 111 m south

    match = address_nearest(LAT, LONG)
    assert match.number == "1"
    assert match.distance_metres == pytest.approx(0.0003 * METRES_PER_DEGREE, abs=0.1)
    assert match.label == "1 Test St"

    assert address_nearest(LAT + 0.0001, LONG + 0.0004).number == "2"  # 14 m from 2, 40 from 1
    assert address_nearest(LAT - 0.0009, LONG).number == "3"


@pytest.mark.django_db
def test_nothing_within_the_radius():
    add("1", LAT + 0.0007, LONG)  # 77.8 m
    assert address_nearest(LAT, LONG) is None  # default 75 m
    assert address_nearest(LAT, LONG, max_metres=80).number == "1"
    assert address_nearest(LAT, LONG, max_metres=77) is None


@pytest.mark.django_db
def test_the_box_corner_is_outside_the_circle():
    # Inside the bounding box (both offsets under 75 m) but 86 m away on the diagonal.
    add("1", LAT + 0.00055, LONG + 0.00074)
    assert haversine_metres(LAT, LONG, LAT + 0.00055, LONG + 0.00074) > 75
    assert address_nearest(LAT, LONG) is None


@pytest.mark.django_db
def test_equal_distances_go_to_the_older_row():
    first = add("1", LAT + 0.0002, LONG)
    add("2", LAT - 0.0002, LONG)
    assert address_nearest(LAT, LONG).number == first.number


@pytest.mark.django_db
def test_across_the_antimeridian_and_near_the_pole():
    add("east", 0.0, 179.9997)
    add("west", 0.0, -179.9996)
    assert address_nearest(0.0, 179.9999).number == "east"
    assert address_nearest(0.0, -179.9999).number == "west"
    assert address_nearest(0.0, 180.0, max_metres=60).number == "east"  # 33 m vs 44 m

    add("pole", 89.99995, 120.0)
    assert address_nearest(90.0, -60.0).number == "pole"  # 5.6 m, whatever the longitude


@pytest.mark.django_db
def test_two_queries_whatever_the_number_of_rows_in_the_box(django_assert_num_queries):
    for index in range(30):
        add(str(index), LAT + index * 0.00001, LONG)
    with django_assert_num_queries(2):
        assert address_nearest(LAT, LONG).number == "0"
    with django_assert_num_queries(1):
        assert address_nearest(LAT - 0.01, LONG) is None


@pytest.mark.parametrize(
    ("lat", "long", "max_metres", "field"),
    [
        (91, 0, 75, "lat"),
        (0, -181, 75, "long"),
        (math.nan, 0, 75, "lat"),
        (0, 0, 0, "max_metres"),
        (0, 0, -5, "max_metres"),
        (0, 0, 1001, "max_metres"),
        (0, 0, math.inf, "max_metres"),
    ],
)
def test_bad_input_raises_a_validation_error_naming_the_field(lat, long, max_metres, field):
    with pytest.raises(ValidationError) as caught:
        address_nearest(lat, long, max_metres=max_metres)
    assert set(caught.value.message_dict) == {field}
