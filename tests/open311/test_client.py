"""A real third-party client, `georeport` 0.3.1, talking to our server over HTTP.

georeport reads (services, service definition, requests, one request) in JSON or XML, chosen
with `output_format`. It has no method to create a request or to read a token, so the POST
goes through `requests` (the library georeport itself uses) with the client's own api_key.
"""

import pytest
import requests
from django.core.cache import cache
from georeport import GeoReport

from civicdesk.cases.models import Case
from tests.open311.test_post_support import CITY_HALL, new_key


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_lists_defines_posts_and_reads_back(live_server, demo_catalog, fmt):
    client = GeoReport(
        f"{live_server.url}/open311/v2",
        jurisdiction="civicdesk.demo",
        api_key=new_key(),
        output_format=fmt,
    )

    services = client.get_service_list()
    codes = {service["service_code"] for service in services}
    assert {"pothole", "bulk-item-pickup"} <= codes

    definition = client.get_service_definition("pothole")
    assert definition["service_code"] == "pothole"
    attributes = definition["attributes"]
    if fmt == "xml":
        # xmltodict keeps the XML nesting: <attributes><attribute>…</attribute></attributes>.
        attributes = attributes["attribute"]
    assert {attribute["code"] for attribute in attributes} == {"size", "lane"}

    created = requests.post(
        f"{client.root_address}/requests.{client.output_format}",
        data={
            "api_key": client.api_key,
            "jurisdiction_id": client.jurisdiction,
            "service_code": "pothole",
            "lat": CITY_HALL[0],
            "long": CITY_HALL[1],
            "description": "Pothole reported through georeport.",
            "attribute[size]": "medium",
            "attribute[lane]": "bike-lane",
        },
        timeout=10,
    )
    assert created.status_code == 201, created.text
    reference = Case.objects.get().reference
    assert reference in created.text

    record = client.get_service_request(reference)
    assert record["service_request_id"] == reference
    assert record["service_code"] == "pothole"
    assert record["description"] == "Pothole reported through georeport."

    listed = client.get_service_requests(service_request_id=reference)
    if fmt == "xml":
        # One <request> comes back from xmltodict as a dict, not a list of one.
        listed = [listed] if isinstance(listed, dict) else listed
    assert [item["service_request_id"] for item in listed] == [reference]


@pytest.mark.django_db(transaction=True)
def test_georeport_style_post_without_a_key_is_an_open311_403(live_server, demo_catalog):
    response = requests.post(
        f"{live_server.url}/open311/v2/requests.json",
        data={"service_code": "pothole", "lat": CITY_HALL[0], "long": CITY_HALL[1]},
        timeout=10,
    )
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
