"""CORS on every read and preflight; other methods get a 405 in the client's format."""

import pytest
from django.test import Client

from .wire import BASE, parse_xml

pytestmark = pytest.mark.django_db

READS = [
    "discovery",
    "services",
    "services/pothole",
    "requests",
    "requests/26-000001",
    "servicerequestupdates",
    "tokens/abc",
]


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_gets_allow_any_origin(client, demo_catalog, path, fmt):
    response = client.get(f"{BASE}{path}.{fmt}", HTTP_ORIGIN="https://app.example")
    assert response.status_code in (200, 404)
    assert response["Access-Control-Allow-Origin"] == "*"


def test_errors_carry_cors_too(client, db):
    response = client.get(f"{BASE}requests.json", {"status": "nope"})
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    wrong = client.get(f"{BASE}services.json", {"jurisdiction_id": "other"})
    assert wrong.status_code == 404
    assert wrong["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", READS)
def test_preflight(client, db, path):
    response = client.options(
        f"{BASE}{path}.json",
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "POST" not in response["Access-Control-Allow-Methods"]


def test_preflight_on_requests_lists_post_in_allow(client, db):
    response = client.options(f"{BASE}requests.json")
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_other_methods_are_405(client, db, method, fmt):
    response = getattr(client, method)(f"{BASE}requests.{fmt}")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"
    if fmt == "json":
        assert response.json()[0]["code"] == 405
    else:
        parse_xml(response.content, root="errors", item="error")


@pytest.mark.parametrize("path", ["services", "services/pothole", "discovery", "requests/1"])
def test_post_to_read_only_endpoints_is_405(client, db, path):
    response = client.post(f"{BASE}{path}.xml", {"x": "1"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    parse_xml(response.content, root="errors", item="error")


def test_head_answers_like_get(client, demo_catalog):
    response = client.head(f"{BASE}services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize("path", ["services.json", "requests/1.xml", "no-such-thing"])
def test_stray_posts_get_open311_errors_not_csrf_pages(db, path):
    client = Client(enforce_csrf_checks=True)
    broken_multipart = client.post(
        f"{BASE}{path}",
        data=b"--nope\r\ngarbage",
        content_type="multipart/form-data; boundary=zzz",
    )
    plain = client.post(f"{BASE}{path}", {"jurisdiction_id": "elsewhere"})
    for response in (broken_multipart, plain):
        assert response.status_code in (404, 405), response.content[:200]
        assert response["Content-Type"].split(";")[0] in ("application/json", "text/xml")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_requests_reaches_the_write_side_without_csrf(demo_catalog, fmt):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{BASE}requests.{fmt}", {"service_code": "pothole"})
    assert response.status_code == 403  # the write side's missing-api_key answer
    if fmt == "json":
        assert "api_key" in response.json()[0]["description"]
    else:
        parse_xml(response.content, root="errors", item="error")
