"""The JSON endpoints the portal's address field calls: /geo/addresses and .../reverse."""

import pytest

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.services import address_import_openaddresses, area_import_geojson
from tests.geo.conftest import oa_row, oa_write, two_districts

pytestmark = pytest.mark.django_db


@pytest.fixture
def gazetteer(tmp_path):
    area_import_geojson(data=two_districts(), kind=AreaKind.DISTRICT)
    rows = [
        oa_row("25", "Sheridan St", city="Jamaica Plain", postcode="02130", lat=0.5, long=0.25),
        oa_row("22", "Sheridan St", city="Jamaica Plain", lat=0.5, long=0.2501),
        oa_row("9", "Far Side Ter", lat=0.5, long=1.5, unit="Apt 3"),
    ]
    address_import_openaddresses(path=oa_write(tmp_path / "g.csv", rows), source="test")


def test_search_answers_results_with_label_point_and_district(client, gazetteer):
    response = client.get("/geo/addresses", {"q": "25 Sheridan St"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    results = response.json()["results"]
    assert [result["label"] for result in results] == [
        "25 Sheridan St, Jamaica Plain 02130",
        "22 Sheridan St, Jamaica Plain",
    ]
    assert results[0] == {
        "label": "25 Sheridan St, Jamaica Plain 02130",
        "lat": 0.5,
        "long": 0.25,
        "district": {"code": "1", "name": "District One"},
        "number": "25",
        "street": "Sheridan St",
        "unit": "",
        "city": "Jamaica Plain",
        "postcode": "02130",
    }


def test_search_limit_and_no_results(client, gazetteer):
    assert len(client.get("/geo/addresses", {"q": "sheridan", "limit": "1"}).json()["results"]) == 1
    response = client.get("/geo/addresses", {"q": "no such street"})
    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "main", "limit": "abc"}, "limit"),
        ({"q": "main", "limit": "0"}, "limit"),
        ({"q": "main", "limit": "21"}, "limit"),
        ({"q": "main", "limit": "-1"}, "limit"),
        ({"q": "main", "limit": "1e3"}, "limit"),
        ({"q": "main", "limit": "٣"}, "limit"),
    ],
)
def test_search_bad_input_is_a_400_naming_the_parameter(client, params, field):
    response = client.get("/geo/addresses", params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The request has an invalid parameter."
    assert list(body["errors"]) == [field]
    assert body["errors"][field][0]
    assert response["Cache-Control"] == "no-store"


def test_search_copes_with_odd_text(client, gazetteer):
    for query in ["\x00", "%00", "25 Sheridan St\x00", "🏠 25", "' OR 1=1 --", "25%", "_"]:
        response = client.get("/geo/addresses", {"q": query})
        assert response.status_code == 200, query
    # Invalid percent-encoding and UTF-8 in the raw query string.
    assert client.get("/geo/addresses?q=%ff%fe25").status_code == 200


def test_search_is_read_only(client, gazetteer):
    assert client.post("/geo/addresses", {"q": "25"}).status_code == 405
    assert client.head("/geo/addresses", {"q": "25"}).status_code == 200


def test_search_query_budget(client, gazetteer, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get("/geo/addresses", {"q": "25 sheridan st"}).status_code == 200


def test_reverse_answers_the_nearest_address_with_its_distance(client, gazetteer):
    response = client.get("/geo/addresses/reverse", {"lat": "0.5", "long": "0.25005"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    (result,) = response.json()["results"]
    assert result["label"] == "25 Sheridan St, Jamaica Plain 02130"
    assert result["district"] == {"code": "1", "name": "District One"}
    assert result["distance_metres"] == pytest.approx(5.6, abs=0.1)

    far = client.get("/geo/addresses/reverse", {"lat": "0.5", "long": "1.5", "radius": "10"})
    assert far.json()["results"][0]["label"] == "9 Far Side Ter, Apt 3"


def test_reverse_with_nothing_near(client, gazetteer):
    response = client.get("/geo/addresses/reverse", {"lat": "0.5", "long": "0.9"})
    assert response.status_code == 200
    assert response.json() == {"results": []}
    wider = client.get("/geo/addresses/reverse", {"lat": "0.5", "long": "0.254", "radius": "500"})
    assert len(wider.json()["results"]) == 1


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, {"lat", "long"}),
        ({"lat": "0.5"}, {"long"}),
        ({"lat": "north", "long": "0.5"}, {"lat"}),
        ({"lat": "0.5", "long": "nan"}, {"long"}),
        ({"lat": "inf", "long": "0.5"}, {"lat"}),
        ({"lat": "91", "long": "0.5"}, {"lat"}),
        ({"lat": "0.5", "long": "-180.01"}, {"long"}),
        ({"lat": "1e999", "long": "1e999"}, {"lat", "long"}),
        ({"lat": "0.5", "long": "0.5", "radius": "0"}, {"radius"}),
        ({"lat": "0.5", "long": "0.5", "radius": "501"}, {"radius"}),
        ({"lat": "0.5", "long": "0.5", "radius": "far"}, {"radius"}),
        ({"lat": "0.5", "long": "0.5", "radius": "nan"}, {"radius"}),
        ({"lat": "x", "long": "", "radius": "nan"}, {"lat", "long", "radius"}),
    ],
)
def test_reverse_bad_input_is_a_400_naming_the_parameters(client, params, fields):
    response = client.get("/geo/addresses/reverse", params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields


def test_reverse_query_budget(client, gazetteer, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/geo/addresses/reverse", {"lat": "0.5", "long": "0.25"})
    assert len(response.json()["results"]) == 1
