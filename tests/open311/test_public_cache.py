"""Public reads served from the per-process store: fresh after every write, 304 on a match.

These run outside a test transaction (the store ignores reads made inside one, whose rows may
still be rolled back), so each commits its writes as the server would.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicdesk.catalog.models import ServiceType
from civicdesk.open311.models import ApiKey
from civicdesk.open311.public_cache import public_cache_clear
from tests.open311.test_post_support import new_key, post, pothole_form

LIST = "/open311/v2/requests.json"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_store():
    public_cache_clear()
    yield
    public_cache_clear()


def ids(response):
    assert response.status_code == 200, response.content[:300]
    return [record["service_request_id"] for record in json.loads(response.content)]


def test_a_repeated_read_costs_one_query_and_a_new_request_shows_at_once(client, demo_catalog):
    key = new_key()
    first = post(client, "json", pothole_form(key))
    assert first.status_code == 201
    assert len(ids(client.get(LIST))) == 1

    with CaptureQueriesContext(connection) as queries:
        again = client.get(LIST)
    assert len(ids(again)) == 1
    assert len(queries) == 1, [query["sql"] for query in queries]

    second = post(client, "json", pothole_form(key, description="Another hole."))
    created = json.loads(second.content)[0]["service_request_id"]
    assert created in ids(client.get(LIST))


def test_if_none_match_gets_a_304_until_the_list_changes(client, demo_catalog):
    key = new_key()
    post(client, "json", pothole_form(key))
    first = client.get(LIST)
    etag = first["ETag"]
    assert etag.startswith('"')

    not_modified = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag

    post(client, "json", pothole_form(key, description="A change."))
    changed = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert len(ids(changed)) == 2


def test_each_format_and_query_is_its_own_answer(client, demo_catalog):
    post(client, "json", pothole_form(new_key()))
    as_json = client.get(LIST)
    as_xml = client.get("/open311/v2/requests.xml")
    other_service = client.get(LIST, {"service_code": "graffiti-removal"})
    assert as_xml["Content-Type"].startswith("text/xml")
    assert client.get("/open311/v2/requests.xml").content == as_xml.content
    assert ids(other_service) == []
    assert len(ids(client.get(LIST))) == len(ids(as_json)) == 1


def test_a_renamed_service_shows_in_the_service_list_and_request_records(client, demo_catalog):
    post(client, "json", pothole_form(new_key()))
    services = json.loads(client.get("/open311/v2/services.json").content)
    assert "Pothole repair" not in {service["service_name"] for service in services}
    client.get(LIST)

    service = ServiceType.objects.get(code="pothole")
    service.name = "Pothole repair"
    service.save()

    services = json.loads(client.get("/open311/v2/services.json").content)
    assert "Pothole repair" in {service["service_name"] for service in services}
    [record] = json.loads(client.get(LIST).content)
    assert record["service_name"] == "Pothole repair"


def test_a_bulk_deactivated_service_leaves_the_list_and_refuses_new_requests(client, demo_catalog):
    key = new_key()
    assert post(client, "json", pothole_form(key)).status_code == 201
    client.get("/open311/v2/services.json")

    ServiceType.objects.filter(code="pothole").update(is_active=False)

    services = json.loads(client.get("/open311/v2/services.json").content)
    assert "pothole" not in {service["service_code"] for service in services}
    assert post(client, "json", pothole_form(key)).status_code == 404


def test_with_the_store_turned_off_every_read_renders(client, demo_catalog, settings):
    settings.CIVICDESK_PUBLIC_CACHE_SECONDS = 0
    post(client, "json", pothole_form(new_key()))
    client.get(LIST)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert "ETag" not in response
    assert len(ids(response)) == 1
    assert not any("core_datarevision" in query["sql"] for query in queries)


def test_a_key_revoked_by_another_process_stops_working_after_the_key_cache_time(
    client, demo_catalog, settings
):
    key = new_key()
    assert post(client, "json", pothole_form(key)).status_code == 201
    # As `civicdesk apikey revoke` in another process would: this process's memory is untouched.
    ApiKey.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert post(client, "json", pothole_form(key, description="Still trusted.")).status_code == 201

    settings.CIVICDESK_APIKEY_CACHE_SECONDS = 0
    assert post(client, "json", pothole_form(key, description="Refused.")).status_code == 403
