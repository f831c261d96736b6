"""Discovery, the service list and service definitions, in JSON and XML."""

import pytest

from civicdesk.catalog.choices import AttributeDatatype
from civicdesk.catalog.models import Department, ServiceAttribute, ServiceType

from .wire import get_json, get_xml, xml_records

pytestmark = pytest.mark.django_db


def test_discovery_json(client):
    data = get_json(client, "discovery", schema="discovery")
    (endpoint,) = data["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["type"] == "production"


def test_discovery_xml(client):
    root = get_xml(client, "discovery", root="discovery")
    assert root.findtext("endpoints/endpoint/specification") == (
        "http://wiki.open311.org/GeoReport_v2"
    )
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]
    assert root.findtext("changeset")


def test_service_list_json(client, demo_catalog):
    data = get_json(client, "services", schema="services")
    by_code = {service["service_code"]: service for service in data}
    pothole = by_code["pothole"]
    assert pothole["service_name"] == "Pothole"
    assert pothole["metadata"] is True
    assert pothole["type"] == "realtime"
    assert pothole["group"] == "Streets & Sidewalks"
    assert pothole["keywords"].startswith("pothole, hole, road")
    assert by_code["bulk-item-pickup"]["type"] == "batch"
    assert any(service["metadata"] is False for service in data)


def test_service_list_hides_private_and_inactive(client, demo_catalog):
    department = Department.objects.first()
    ServiceType.objects.create(
        code="crew-inspection", name="Crew", default_department=department, is_public=False
    )
    ServiceType.objects.create(
        code="retired", name="Retired", default_department=department, is_active=False
    )
    codes = {s["service_code"] for s in get_json(client, "services", schema="services")}
    assert "pothole" in codes
    assert not codes & {"crew-inspection", "retired"}
    for code in ("crew-inspection", "retired"):
        get_json(client, f"services/{code}", schema="errors", status=404)


def test_service_list_xml(client, demo_catalog):
    root = get_xml(client, "services", root="services", item="service")
    pothole = next(r for r in xml_records(root) if r["service_code"] == "pothole")
    assert pothole["metadata"] == "true"
    assert pothole["type"] == "realtime"
    assert set(pothole) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }


def test_service_list_query_count_is_fixed(client, demo_catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        get_json(client, "services", schema="services")


def test_service_definition_json(client, demo_catalog):
    data = get_json(client, "services/pothole", schema="service-definition")
    assert data["service_code"] == "pothole"
    size = data["attributes"][0]
    assert size["code"] == "size"
    assert size["variable"] is True
    assert size["required"] is False
    assert size["datatype"] == "singlevaluelist"
    assert {"key": "small", "name": "Smaller than a dinner plate"} in size["values"]


def test_service_definition_xml(client, demo_catalog):
    root = get_xml(client, "services/street-light-out", root="service_definition")
    assert root.findtext("service_code") == "street-light-out"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["pole-number", "problem"]
    problem = attributes[1]
    assert problem.findtext("required") == "true"
    assert [v.findtext("key") for v in problem.findall("values/value")][:2] == [
        "out",
        "flickering",
    ]
    assert attributes[0].find("values") is not None
    assert list(attributes[0].find("values")) == []


def test_service_code_with_dots_and_dashes(client, demo_catalog):
    department = Department.objects.first()
    service = ServiceType.objects.create(
        code="streets.pot_hole-2", name="Dotted", default_department=department
    )
    ServiceAttribute.objects.create(
        service_type=service,
        code="depth",
        datatype=AttributeDatatype.NUMBER,
        description="Depth",
    )
    data = get_json(client, "services/streets.pot_hole-2", schema="service-definition")
    assert data["service_code"] == "streets.pot_hole-2"
    root = get_xml(client, "services/streets.pot_hole-2", root="service_definition")
    assert root.findtext("attributes/attribute/datatype") == "number"


def test_unknown_service_is_404_in_both_formats(client, demo_catalog):
    errors = get_json(client, "services/no-such-thing", schema="errors", status=404)
    assert errors[0]["code"] == 404
    assert "no-such-thing" in errors[0]["description"]
    root = get_xml(client, "services/no-such-thing", root="errors", item="error", status=404)
    assert root.findtext("error/code") == "404"


@pytest.mark.parametrize(
    "path",
    [
        "services.html",
        "services/pothole.html",
        "requests.csv",
        "discovery",
        "requests/1/2.json",
        "services/%2F%0A.json",
        "nothing-here.json",
    ],
)
def test_unknown_suffix_or_path_is_a_json_404(client, path):
    response = client.get(f"/open311/v2/{path}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()[0]["code"] == 404


def test_jurisdiction_empty_is_missing_and_wrong_is_404(client, demo_catalog):
    get_json(client, "services", {"jurisdiction_id": ""}, schema="services")
    get_json(client, "services", {"jurisdiction_id": "civicdesk.demo"}, schema="services")
    get_json(client, "services", {"jurisdiction_id": "elsewhere.gov"}, schema="errors", status=404)
    get_xml(client, "services", {"jurisdiction_id": "x"}, root="errors", status=404)
