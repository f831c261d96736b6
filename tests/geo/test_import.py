import math

import pytest

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area
from civicdesk.geo.services import GeoImportError, area_dissolve_jurisdiction, area_import_geojson
from tests.geo.conftest import collection, feature, square, two_districts

pytestmark = pytest.mark.django_db


def test_import_creates_areas_with_detected_code_name_and_bbox():
    summary = area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)

    assert summary.created == ["1", "2"]
    assert (summary.code_property, summary.name_property) == ("DISTRICT", "NAME")
    one = Area.objects.get(kind=AreaKind.DISTRICT, code="1")
    assert one.name == "District One"
    assert (one.min_long, one.min_lat, one.max_long, one.max_lat) == (0, 0, 1, 1)
    assert one.geometry["type"] == "Polygon"
    assert one.properties == {"DISTRICT": 1, "NAME": "District One"}


def test_reimport_is_idempotent_and_changes_are_updates():
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    first_stamp = Area.objects.get(code="1").updated_at

    again = area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    assert again.unchanged == ["1", "2"]
    assert again.created == again.updated == []
    assert Area.objects.count() == 2
    assert Area.objects.get(code="1").updated_at == first_stamp

    moved = collection(feature({"DISTRICT": 1, "NAME": "District One"}, square(0, 0, 3, 3)))
    summary = area_import_geojson(data=moved, kind=AreaKind.DISTRICT)
    assert summary.updated == ["1"]
    assert summary.not_in_file == ["2"]
    assert Area.objects.get(code="1").max_long == 3
    assert Area.objects.count() == 2


def test_same_code_may_exist_for_another_kind():
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    area_import_geojson(data=two_districts(), kind=AreaKind.WARD)
    assert Area.objects.filter(code="1").count() == 2


def test_single_feature_multipolygon_and_explicit_properties():
    data = feature(
        {"ward_no": "W-7", "label": "Ward Seven", "name": "ignored"},
        [square(0, 0, 1, 1), square(5, 5, 6, 6)],
        kind="MultiPolygon",
    )
    summary = area_import_geojson(
        data=data, kind=AreaKind.WARD, code_property="ward_no", name_property="label"
    )
    area = Area.objects.get(kind=AreaKind.WARD, code="W-7")
    assert summary.created == ["W-7"]
    assert area.name == "Ward Seven"
    assert area.geometry["type"] == "MultiPolygon"
    assert (area.min_long, area.max_long) == (0, 6)


def test_feature_id_is_the_fallback_code_and_float_codes_lose_their_point():
    data = collection(
        {**feature({"population": 10}, square(0, 0, 1, 1)), "id": "north"},
        {**feature({"population": 20}, square(1, 0, 2, 1)), "id": 7.0},
    )
    summary = area_import_geojson(data=data, kind=AreaKind.SERVICE_AREA)
    assert sorted(summary.created) == ["7", "north"]
    assert summary.name_property == "code"
    assert Area.objects.get(code="north").name == "north"


def test_polygon_with_hole_keeps_the_hole():
    outer = square(0, 0, 4, 4)[0]
    hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
    area_import_geojson(
        data=collection(feature({"code": "donut", "name": "Donut"}, [outer, hole])),
        kind=AreaKind.DISTRICT,
    )
    assert len(Area.objects.get(code="donut").geometry["coordinates"]) == 2


def test_bow_tie_is_repaired_and_reported():
    bow_tie = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]
    summary = area_import_geojson(
        data=collection(feature({"code": "bow", "name": "Bow tie"}, bow_tie)),
        kind=AreaKind.DISTRICT,
    )
    assert summary.created == ["bow"]
    assert len(summary.repairs) == 1
    assert "feature 0 (bow)" in summary.repairs[0]
    assert "make_valid" in summary.repairs[0]
    assert "Repaired:" in str(summary)
    area = Area.objects.get(code="bow")
    assert area.geometry["type"] == "MultiPolygon"


def test_wrong_crs_is_rejected_with_a_clear_message():
    data = two_districts()
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2249"}}
    with pytest.raises(GeoImportError) as caught:
        area_import_geojson(data=data, kind=AreaKind.DISTRICT)
    assert "EPSG::2249" in caught.value.messages[0]
    assert "WGS 84" in caught.value.messages[0]
    assert Area.objects.count() == 0


@pytest.mark.parametrize(
    "crs_name", ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"]
)
def test_wgs84_crs_names_are_accepted(crs_name):
    data = two_districts()
    data["crs"] = {"type": "name", "properties": {"name": crs_name}}
    assert area_import_geojson(data=data, kind=AreaKind.DISTRICT).total == 2


@pytest.mark.parametrize(
    ("coordinates", "expected"),
    [
        ([[[0, 0], [1, 0], [1, 95], [0, 0]]], "latitude 95 is outside"),
        ([[[0, 0], [181, 0], [1, 1], [0, 0]]], "longitude 181 is outside"),
        ([[[0, 0], [1, 0], [1, math.nan], [0, 0]]], "not a finite number"),
        ([[[0, 0], [1, 0], ["1", 1], [0, 0]]], "not a finite number"),
        ([[[0, 0], [1, 0], [1], [0, 0]]], "not a [long, lat] pair"),
        ([[[0, 0], [1, 0], [1, 1], [0, 1]]], "is not closed"),
        ([[[0, 0], [1, 0], [0, 0]]], "at least 4 positions"),
        ([], "has no rings"),
        ([[[0, 0], [1, 1], [2, 2], [0, 0]]], "no area"),
    ],
)
def test_bad_coordinates_name_the_feature_and_write_nothing(coordinates, expected):
    data = collection(
        feature({"code": "good", "name": "Good"}, square(0, 0, 1, 1)),
        feature({"code": "bad", "name": "Bad"}, coordinates),
    )
    with pytest.raises(GeoImportError) as caught:
        area_import_geojson(data=data, kind=AreaKind.DISTRICT)
    assert any(m.startswith("feature 1 (bad)") and expected in m for m in caught.value.messages), (
        caught.value.messages
    )
    assert Area.objects.count() == 0


def test_wrong_geometry_type_is_rejected():
    data = collection(feature({"code": "p", "name": "Point"}, [0, 0], kind="Point"))
    with pytest.raises(GeoImportError, match="'Point' is not Polygon or MultiPolygon"):
        area_import_geojson(data=data, kind=AreaKind.DISTRICT)


def test_duplicate_codes_are_an_error_naming_both_features():
    data = collection(
        feature({"code": "A", "name": "First"}, square(0, 0, 1, 1)),
        feature({"code": "A", "name": "Second"}, square(1, 0, 2, 1)),
    )
    with pytest.raises(GeoImportError) as caught:
        area_import_geojson(data=data, kind=AreaKind.DISTRICT)
    assert caught.value.messages == ["feature 1: code 'A' (property code) repeats feature 0"]
    assert Area.objects.count() == 0


def test_missing_code_property_names_index_and_property():
    data = collection(
        feature({"DIST": "1", "name": "One"}, square(0, 0, 1, 1)),
        feature({"name": "Two"}, square(1, 0, 2, 1)),
    )
    with pytest.raises(GeoImportError) as caught:
        area_import_geojson(data=data, kind=AreaKind.DISTRICT, code_property="DIST")
    assert caught.value.messages == ["feature 1: property DIST is missing or blank"]


def test_undetectable_code_asks_for_the_property():
    data = collection(feature({"colour": "red"}, square(0, 0, 1, 1)))
    with pytest.raises(GeoImportError, match="pass code_property"):
        area_import_geojson(data=data, kind=AreaKind.DISTRICT)


@pytest.mark.parametrize(
    "data",
    [
        {"type": "Polygon", "coordinates": square(0, 0, 1, 1)},
        {"type": "FeatureCollection"},
        {"type": "FeatureCollection", "features": []},
        {"type": "FeatureCollection", "features": [{"type": "Thing"}]},
    ],
)
def test_not_a_feature_collection(data):
    with pytest.raises(GeoImportError):
        area_import_geojson(data=data, kind=AreaKind.DISTRICT)


def test_dissolve_builds_the_jurisdiction_as_the_union():
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    area = area_dissolve_jurisdiction(from_kind=AreaKind.DISTRICT, code="city", name="The City")

    assert area.kind == AreaKind.JURISDICTION
    assert area.geometry["type"] == "Polygon"
    assert (area.min_long, area.min_lat, area.max_long, area.max_lat) == (0, 0, 2, 1)
    assert area.properties["source_codes"] == ["1", "2"]

    again = area_dissolve_jurisdiction(from_kind=AreaKind.DISTRICT, code="city", name="City")
    assert again.pk == area.pk
    assert Area.objects.filter(kind=AreaKind.JURISDICTION).count() == 1


def test_dissolve_without_areas_is_an_error():
    with pytest.raises(GeoImportError, match="no district areas"):
        area_dissolve_jurisdiction(from_kind=AreaKind.DISTRICT, code="city", name="City")
