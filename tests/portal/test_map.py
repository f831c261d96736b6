"""The public list's district filter and its map: points without personal data, outlines."""

import json
import re

import pytest
from django.test import override_settings

from civicdesk.cases.services.opening import Location
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area
from civicdesk.geo.services import area_import_geojson

from .accounts import boston_districts
from .pages import assert_no_personal_data, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def districts():
    area_import_geojson(
        data=boston_districts(), kind=AreaKind.DISTRICT, code_property="CODE", name_property="NAME"
    )
    return {area.code: area for area in Area.objects.filter(kind=AreaKind.DISTRICT)}


def references(response):
    return re.findall(r'<th scope="row"[^>]*><a[^>]*>([^<]+)</a></th>', page_text(response))


def test_the_list_filters_by_district(client, make_case, districts):
    north = make_case(location=Location(lat=42.36, long=-71.06, district=districts["north"]))
    south = make_case(location=Location(lat=42.32, long=-71.05, district=districts["south"]))

    page = client.get("/requests/")
    text = page_text(page)
    assert '<label class="usa-label" for="filter-district">District</label>' in text
    assert '<option value="north">North End</option>' in text
    assert references(page) == [south.reference, north.reference]

    assert references(client.get("/requests/", {"district": "south"})) == [south.reference]
    filtered = client.get("/requests/", {"district": "north", "status": "open"})
    assert references(filtered) == [north.reference]
    assert '<option value="north" selected>' in page_text(filtered)
    # An unknown district is ignored, like any filter value not on offer.
    assert len(references(client.get("/requests/", {"district": "atlantis"}))) == 2


def test_the_district_filter_is_left_out_without_districts(client, make_case):
    make_case()

    assert "filter-district" not in page_text(client.get("/requests/"))


def test_the_map_is_an_enhancement_of_the_list(client, make_case, districts):
    make_case()

    text = page_text(client.get("/requests/", {"status": "open"}))

    # Hidden until map.js draws it; the table is there either way.
    assert re.search(r'<div class="portal-map[^"]*" id="requests-map" hidden', text)
    assert 'data-points-url="/requests/map.json?status=open"' in text
    assert 'data-districts-url="/requests/districts.geojson"' in text
    assert 'data-tile-url=""' in text
    assert "portal/map.js" in text
    assert "<table" in text


@override_settings(
    CIVICDESK_MAP_TILE_URL="https://tiles.example/{z}/{x}/{y}.png",
    CIVICDESK_MAP_TILE_ATTRIBUTION="© Example contributors",
)
def test_the_map_uses_the_configured_tiles(client, make_case):
    make_case()

    text = page_text(client.get("/requests/"))

    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in text
    assert 'data-tile-attribution="© Example contributors"' in text


def test_map_points_are_the_list_page_with_public_fields_only(client, personal_case, make_case):
    make_case(location=Location(address="No point given"))
    response = client.get("/requests/map.json", {"status": "open"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert data["count"] == 2
    (feature,) = data["features"]  # the case without a point is in the list, not on the map
    assert feature["geometry"] == {"type": "Point", "coordinates": [-71.06, 42.36]}
    assert feature["properties"] == {
        "reference": personal_case.reference,
        "service_name": "Pothole",
        "status": "new",
        "status_label": "Received",
        "requested_datetime": feature["properties"]["requested_datetime"],
        "url": f"/track/?reference={personal_case.reference}",
    }
    assert feature["properties"]["requested_datetime"].startswith(
        f"{personal_case.requested_at.astimezone():%Y}"
    )
    assert_no_personal_data(json.dumps(data))
    assert "Deep pothole" not in json.dumps(data)  # not even the description


def test_map_points_follow_the_filters_and_the_page(client, make_case, districts):
    made = [
        make_case(location=Location(lat=42.36, long=-71.06, district=districts["north"])).reference
        for _ in range(27)
    ]
    make_case(location=Location(lat=42.32, long=-71.05, district=districts["south"]))

    first = client.get("/requests/map.json", {"district": "north"}).json()
    second = client.get("/requests/map.json", {"district": "north", "page": 2}).json()

    assert (first["count"], first["pages"], second["page"]) == (27, 2, 2)
    assert [f["properties"]["reference"] for f in first["features"]] == made[::-1][:25]
    assert [f["properties"]["reference"] for f in second["features"]] == made[::-1][25:]


def test_map_points_in_spanish(client, make_case):
    make_case()

    data = client.get("/requests/map.json", headers={"accept-language": "es"}).json()

    assert data["features"][0]["properties"]["service_name"] == "Bache"
    assert data["features"][0]["properties"]["status_label"] == "Recibida"


def test_map_points_cost_few_queries(client, make_case, django_assert_max_num_queries):
    for _ in range(30):
        make_case()
    # Services, districts, count, page.
    with django_assert_max_num_queries(4):
        client.get("/requests/map.json")


def test_district_outlines_are_simplified_and_cached(
    client, districts, django_assert_max_num_queries
):
    response = client.get("/requests/districts.geojson")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    data = response.json()
    assert [f["properties"] for f in data["features"]] == [
        {"code": "north", "name": "North End"},
        {"code": "south", "name": "South Boston"},
    ]
    assert data["features"][0]["geometry"]["type"] == "Polygon"
    # Cached: only the check whether the districts changed.
    with django_assert_max_num_queries(1):
        assert client.get("/requests/districts.geojson").json() == data


def test_district_outlines_drop_needless_points(client):
    # A square traced with 400 points along its edges comes back as its corners.
    ring = [[-71.1 + i * 0.00025, 42.3] for i in range(400)]
    ring += [[-71.0, 42.3], [-71.0, 42.4], [-71.1, 42.4], [-71.1, 42.3]]
    area_import_geojson(
        data={
            "type": "Feature",
            "properties": {"CODE": "busy", "NAME": "Busy"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        },
        kind=AreaKind.DISTRICT,
        code_property="CODE",
        name_property="NAME",
    )

    (feature,) = client.get("/requests/districts.geojson").json()["features"]

    assert len(feature["geometry"]["coordinates"][0]) <= 6


def test_district_outlines_change_when_districts_are_imported(client, districts):
    assert len(client.get("/requests/districts.geojson").json()["features"]) == 2
    area_import_geojson(
        data={
            "type": "Feature",
            "properties": {"CODE": "east", "NAME": "East Boston"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-71.0, 42.35], [-70.9, 42.35], [-70.9, 42.4], [-71.0, 42.35]]],
            },
        },
        kind=AreaKind.DISTRICT,
        code_property="CODE",
        name_property="NAME",
    )

    assert len(client.get("/requests/districts.geojson").json()["features"]) == 3
