"""Each endpoint against each demo role: anonymous, agent, department staff, supervisor and a
staff account with no groups."""

import io

import pytest
from PIL import Image

ROLES = ("anonymous", "nobody", "agent", "dpw", "supervisor")


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "p.png"
    return buffer


# (method, path, body, expected status per role in ROLES order)
MATRIX = [
    ("get", "/cases", None, (401, 403, 200, 200, 200)),
    (
        "post",
        "/cases",
        {"service_code": "pothole", "address": "1 Main St"},
        (401, 403, 201, 403, 201),
    ),
    ("get", "/cases/{ref}", None, (401, 403, 200, 200, 200)),
    ("post", "/cases/{ref}/status", {"to_status": "open"}, (401, 403, 200, 200, 200)),
    ("post", "/cases/{ref}/assignment", {"assignee": "dpw"}, (401, 403, 200, 200, 200)),
    ("get", "/cases/{ref}/notes", None, (401, 403, 200, 200, 200)),
    ("post", "/cases/{ref}/notes", {"body": "note"}, (401, 403, 201, 201, 201)),
    ("get", "/cases/{ref}/attachments", None, (401, 403, 200, 200, 200)),
    ("post", "/cases/{ref}/attachments", "upload", (401, 403, 201, 403, 201)),
    ("get", "/cases/{ref}/events", None, (401, 403, 200, 200, 200)),
    ("get", "/cases/{ref}/duplicates", None, (401, 403, 200, 200, 200)),
    ("post", "/cases/{ref}/merge", {"into": "{original}"}, (401, 403, 200, 200, 200)),
    ("get", "/catalog/service-types", None, (401, 403, 200, 200, 200)),
    ("get", "/catalog/service-types/pothole", None, (401, 403, 200, 200, 200)),
    ("get", "/catalog/departments", None, (401, 403, 200, 200, 200)),
    ("get", "/catalog/contact-reasons", None, (401, 403, 200, 403, 200)),
    ("get", "/contacts", None, (401, 403, 200, 403, 200)),
    ("post", "/contacts", {"reason_code": "status-check"}, (401, 403, 201, 403, 201)),
    ("get", "/me", None, (401, 200, 200, 200, 200)),
]


@pytest.mark.parametrize(("method", "path", "body", "expected"), MATRIX)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_permission_matrix(client, auth, make_case, method, path, body, expected, role_index):
    role = ROLES[role_index]
    case = make_case()
    url = "/api/v1" + path.format(ref=case.reference)
    if isinstance(body, dict) and body.get("into") == "{original}":
        body = {"into": make_case().reference}
    headers = auth[role]

    if method == "get":
        response = client.get(url, headers=headers)
    elif body == "upload":
        response = client.post(url, {"file": _png()}, headers=headers)
    else:
        response = client.post(url, body, content_type="application/json", headers=headers)

    assert response.status_code == expected[role_index], response.content
    if response.status_code == 403:
        assert response.json()["errors"]["permission"]
