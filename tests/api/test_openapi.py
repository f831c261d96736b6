import re

import pytest
from django.test import Client
from jsonschema import Draft202012Validator
from schemathesis.specs.openapi.definitions import OPENAPI_31

EXPECTED_PATHS = {
    "/api/v1/cases": {"get", "post"},
    "/api/v1/cases/{reference}": {"get"},
    "/api/v1/cases/{reference}/status": {"post"},
    "/api/v1/cases/{reference}/assignment": {"post"},
    "/api/v1/cases/{reference}/notes": {"get", "post"},
    "/api/v1/cases/{reference}/attachments": {"get", "post"},
    "/api/v1/cases/{reference}/events": {"get"},
    "/api/v1/cases/{reference}/duplicates": {"get"},
    "/api/v1/cases/{reference}/merge": {"post"},
    "/api/v1/catalog/service-types": {"get"},
    "/api/v1/catalog/service-types/{code}": {"get"},
    "/api/v1/catalog/departments": {"get"},
    "/api/v1/catalog/contact-reasons": {"get"},
    "/api/v1/contacts": {"get", "post"},
    "/api/v1/knowledge/search": {"get"},
    "/api/v1/assistant/messages": {"post"},
    "/api/v1/routing/suggest": {"post"},
    "/api/v1/me": {"get"},
}
# Operations anyone may call, without credentials.
PUBLIC_OPERATIONS = {
    ("get", "/api/v1/knowledge/search"),
    ("post", "/api/v1/assistant/messages"),
    ("post", "/api/v1/routing/suggest"),
}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_document_is_valid_openapi_3_with_every_path(document):
    assert document["openapi"].startswith("3.1")
    # The OpenAPI 3.1 meta-schema, as bundled with schemathesis (no network needed).
    Draft202012Validator(OPENAPI_31).validate(document)
    assert {path: set(ops) for path, ops in document["paths"].items()} == EXPECTED_PATHS


def test_every_operation_documents_its_errors_and_auth(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            if (method, path) in PUBLIC_OPERATIONS:
                assert "401" not in operation["responses"], where
                assert not operation.get("security"), where
            else:
                assert "401" in operation["responses"], where
                assert operation["security"], where
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, where


def test_docs_page_loads_its_assets_from_this_server(db):
    client = Client()
    page = client.get("/api/v1/docs")

    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for url in assets:
        assert url.startswith("/"), f"{url} is not served by CivicDesk"
        response = client.get(url)
        assert response.status_code == 200, url
        b"".join(response.streaming_content)
    assert "cdn" not in html.lower()


def test_docs_assets_are_an_allow_list(db):
    assert Client().get("/api/v1/docs/assets/__init__.py").status_code == 404
    assert Client().get("/api/v1/docs/assets/..%2Fmain.py").status_code == 404
