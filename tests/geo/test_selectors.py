import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area
from civicdesk.geo.selectors import area_containing, coordinates_validate, point_in_jurisdiction
from civicdesk.geo.services import area_dissolve_jurisdiction, area_import_geojson
from tests.geo.conftest import collection, feature, square, two_districts


@pytest.mark.django_db
def test_area_containing_finds_the_district_and_none_outside():
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)

    found = area_containing(lat=0.5, long=0.5)
    assert found is not None
    assert (found.code, found.name, found.kind) == ("1", "District One", AreaKind.DISTRICT)
    assert area_containing(lat=0.5, long=1.5).code == "2"
    assert area_containing(lat=0.5, long=5) is None
    assert area_containing(lat=0.5, long=0.5, kind=AreaKind.WARD) is None


@pytest.mark.django_db
def test_returned_area_is_a_usable_model_instance():
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    found = area_containing(lat=0.5, long=0.5)
    assert found == Area.objects.get(code="1")
    # Deferred fields still load on demand.
    assert found.geometry["type"] == "Polygon"


@pytest.mark.django_db
def test_boundary_points_go_to_the_smaller_code_every_time():
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    for _ in range(3):
        assert area_containing(lat=0.5, long=1.0).code == "1"
    # Outer edges and corners count as inside.
    assert area_containing(lat=0.0, long=2.0).code == "2"


@pytest.mark.django_db
def test_hole_is_outside():
    outer = square(0, 0, 4, 4)[0]
    hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
    area_import_geojson(
        data=collection(feature({"code": "d", "name": "Donut"}, [outer, hole])),
        kind=AreaKind.DISTRICT,
    )
    assert area_containing(lat=1.5, long=1.5) is None
    assert area_containing(lat=3.5, long=3.5).code == "d"


@pytest.mark.django_db
def test_point_in_jurisdiction_accepts_everything_without_a_boundary():
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    assert point_in_jurisdiction(lat=-45, long=170) is True


@pytest.mark.django_db
def test_point_in_jurisdiction_with_a_boundary():
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    area_dissolve_jurisdiction(from_kind=AreaKind.DISTRICT, code="city", name="City")
    assert point_in_jurisdiction(lat=0.5, long=1.5) is True
    assert point_in_jurisdiction(lat=0.5, long=1.0) is True
    assert point_in_jurisdiction(lat=5, long=5) is False


@pytest.mark.django_db
def test_new_import_is_seen_by_the_next_lookup_inside_a_transaction():
    assert area_containing(lat=0.5, long=0.5) is None
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    assert area_containing(lat=0.5, long=0.5).code == "1"
    Area.objects.filter(code="1").delete()
    assert area_containing(lat=0.5, long=0.5) is None


@pytest.mark.django_db(transaction=True)
@override_settings(CIVICDESK_GEO_CACHE_CHECK_SECONDS=3600)
def test_lookups_hit_the_cache_and_an_import_clears_it(django_assert_num_queries):
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    assert area_containing(lat=0.5, long=0.5).code == "1"
    with django_assert_num_queries(0):
        for _ in range(100):
            assert area_containing(lat=0.5, long=1.5).code == "2"
            assert point_in_jurisdiction(lat=0.5, long=1.5) is True

    moved = collection(feature({"DISTRICT": 1, "NAME": "District One"}, square(0, 0, 9, 9)))
    area_import_geojson(data=moved, kind=AreaKind.DISTRICT)
    assert area_containing(lat=5, long=5).code == "1"

    area_dissolve_jurisdiction(from_kind=AreaKind.DISTRICT, code="city", name="City")
    assert point_in_jurisdiction(lat=50, long=50) is False


@pytest.mark.django_db
def test_lookups_validate_coordinates():
    with pytest.raises(ValidationError):
        area_containing(lat=91, long=0)
    with pytest.raises(ValidationError):
        point_in_jurisdiction(lat=0, long=math.inf)


@pytest.mark.parametrize(
    ("lat", "long"),
    [(0, 0), (90, 180), (-90, -180), (42.3603, -71.058), ("42.36", "-71.05"), (Decimal("1.5"), 2)],
)
def test_coordinates_validate_accepts(lat, long):
    coordinates_validate(lat=lat, long=long)


@pytest.mark.parametrize(
    ("lat", "long", "fields"),
    [
        (90.0001, 0, {"lat"}),
        (0, -180.5, {"long"}),
        (math.nan, 0, {"lat"}),
        (0, math.inf, {"long"}),
        (None, None, {"lat", "long"}),
        (True, 0, {"lat"}),
        ("north", "1e400", {"lat", "long"}),
        ([1], 0, {"lat"}),
    ],
)
def test_coordinates_validate_rejects_naming_the_field(lat, long, fields):
    with pytest.raises(ValidationError) as caught:
        coordinates_validate(lat=lat, long=long)
    assert set(caught.value.message_dict) == fields


@given(
    lat=st.one_of(st.floats(), st.integers(), st.text(max_size=20), st.none(), st.decimals()),
    long=st.one_of(st.floats(), st.integers(), st.text(max_size=20), st.none(), st.decimals()),
)
def test_coordinates_validate_only_ever_raises_validation_error(lat, long):
    try:
        coordinates_validate(lat=lat, long=long)
    except ValidationError as error:
        assert set(error.message_dict) <= {"lat", "long"}
    else:
        assert -90 <= float(lat) <= 90
        assert -180 <= float(long) <= 180


@pytest.mark.django_db(transaction=True)
@override_settings(CIVICDESK_GEO_CACHE_CHECK_SECONDS=3600)
def test_a_flush_forgets_the_cached_areas():
    from django.core.management import call_command

    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    area_dissolve_jurisdiction(from_kind=AreaKind.DISTRICT, code="city", name="City")
    assert point_in_jurisdiction(lat=50, long=50) is False

    call_command("flush", interactive=False, verbosity=0)
    assert area_containing(lat=0.5, long=0.5) is None
    assert point_in_jurisdiction(lat=50, long=50) is True
