import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from PIL import Image

from civicdesk.api.services import api_token_create
from civicdesk.cases.choices import CaseStatus, EventKind
from civicdesk.cases.models import Attachment, Case, CaseNote
from civicdesk.intake.models import IdempotencyRecord

CASES = "/api/v1/cases"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_list_returns_cases_newest_first(client, auth, make_case):
    first = make_case()
    second = make_case(service_code="graffiti-removal", description="Tag on the wall")

    response = client.get(CASES, headers=auth["agent"])

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["reference"] for row in body["results"]] == [second.reference, first.reference]
    row = body["results"][1]
    assert row["service"] == {"code": "pothole", "name": "Pothole"}
    assert row["department"]["code"] == "public-works"
    assert "resident" not in row and "notes" not in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("service_code=graffiti-removal", ["graffiti"]),
        ("service_code=pothole&service_code=graffiti-removal", ["graffiti", "pothole"]),
        ("status=closed", []),
        ("status=new", ["graffiti", "pothole"]),
        ("q=bus+stop", ["pothole"]),
        ("department=public-works", ["graffiti", "pothole"]),
        ("department=parks", []),
    ],
)
def test_list_filters(client, auth, make_case, query, expected):
    make_case()
    make_case(service_code="graffiti-removal", description="Tag on the wall")

    response = client.get(f"{CASES}?{query}", headers=auth["agent"])

    assert response.status_code == 200
    names = sorted(row["service"]["code"].split("-")[0] for row in response.json()["results"])
    assert names == expected


def test_list_updated_since_needs_a_timezone_and_filters(client, auth, make_case):
    make_case()
    future = (timezone.now() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")

    naive = client.get(f"{CASES}?updated_since=2025-01-01T00:00:00", headers=auth["agent"])
    later = client.get(f"{CASES}?updated_since={future}", headers=auth["agent"])

    assert naive.status_code == 400
    assert "updated_since" in naive.json()["errors"]
    assert later.status_code == 200
    assert later.json()["count"] == 0


def test_list_pagination_links_and_page_size_cap(client, auth, make_case):
    for _ in range(3):
        make_case()

    first = client.get(f"{CASES}?page_size=2", headers=auth["agent"]).json()
    second = client.get(first["next"], headers=auth["agent"]).json()
    too_big = client.get(f"{CASES}?page_size=101", headers=auth["agent"])

    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    assert len(second["results"]) == 1 and second["next"] is None
    assert too_big.status_code == 400
    assert too_big.json()["errors"] == {"page_size": ["Input should be less than or equal to 100"]}


def test_list_unknown_department_is_a_400(client, auth, catalog):
    response = client.get(f"{CASES}?department=nope", headers=auth["agent"])

    assert response.status_code == 400
    assert response.json()["errors"] == {"department": ["Unknown department 'nope'."]}


def test_detail_shows_internal_notes_and_assignee(client, auth, staff, make_case):
    case = make_case()
    CaseNote.objects.create(case=case, visibility="internal", body="Crew booked for Tuesday")

    body = client.get(f"{CASES}/{case.reference}", headers=auth["dpw"]).json()

    assert body["reference"] == case.reference
    assert body["notes"][0]["body"] == "Crew booked for Tuesday"
    assert body["notes"][0]["visibility"] == "internal"
    assert body["assignee"] is None


@pytest.mark.parametrize(
    ("role", "sees_pii"), [("agent", True), ("supervisor", True), ("dpw", False)]
)
def test_resident_details_only_with_view_resident(client, auth, make_case, role, sees_pii):
    case = make_case()

    body = client.get(f"{CASES}/{case.reference}", headers=auth[role]).json()

    if sees_pii:
        assert body["resident"]["first_name"] == "Ana"
        values = {point["value"] for point in body["resident"]["contact_points"]}
        assert values == {"ana.resident@example.com", "+16175550199"}
    else:
        assert body["resident"] is None
        assert "ana.resident" not in str(body) and "5550199" not in str(body)


def test_detail_unknown_reference_is_404(client, auth, catalog):
    response = client.get(f"{CASES}/99-999999", headers=auth["agent"])

    assert response.status_code == 404
    assert response.json() == {"detail": "Request 99-999999 was not found.", "errors": {}}


def test_create_through_intake_with_idempotency_key(client, auth, staff, catalog):
    payload = {
        "service_code": "pothole",
        "description": "Big one",
        "address": "5 Main St",
        "attributes": {"size": "large"},
        "email": "caller@example.com",
    }
    headers = {**auth["agent"], "Idempotency-Key": "call-123"}

    first = client.post(CASES, payload, content_type="application/json", headers=headers)
    retry = client.post(CASES, payload, content_type="application/json", headers=headers)

    assert first.status_code == 201
    assert retry.status_code == 200
    assert first.json()["reference"] == retry.json()["reference"]
    case = Case.objects.get()
    assert case.channel == "agent"
    assert case.attributes == {"size": "large"}
    assert case.contacts.get().agent == staff["agent"]
    assert IdempotencyRecord.objects.filter(key="call-123").exists()


def test_create_reused_key_for_other_request_is_422(client, auth, catalog):
    headers = {**auth["agent"], "Idempotency-Key": "k1"}
    base = {"service_code": "pothole", "address": "5 Main St"}
    client.post(CASES, base, content_type="application/json", headers=headers)

    other = client.post(
        CASES,
        {**base, "description": "different"},
        content_type="application/json",
        headers=headers,
    )

    assert other.status_code == 422
    assert "idempotency_key" in other.json()["errors"]


def test_create_intake_errors_are_422_with_fields(client, auth, catalog):
    response = client.post(
        CASES,
        {"service_code": "nonexistent", "lat": 42.36},
        content_type="application/json",
        headers=auth["agent"],
    )

    assert response.status_code == 422
    assert "service_code" in response.json()["errors"]
    assert not Case.objects.exists()


def test_create_malformed_json_is_400(client, auth, catalog):
    response = client.post(
        CASES, "{not json", content_type="application/json", headers=auth["agent"]
    )

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


def test_status_change_and_conflict(client, auth, make_case):
    case = make_case()
    url = f"{CASES}/{case.reference}/status"

    closed = client.post(
        url,
        {"to_status": "closed", "close_reason": "resolved", "public_note": "Filled."},
        content_type="application/json",
        headers=auth["dpw"],
    )
    again = client.post(
        url,
        {"to_status": "closed", "close_reason": "resolved"},
        content_type="application/json",
        headers=auth["dpw"],
    )
    no_reason = client.post(
        url, {"to_status": "closed"}, content_type="application/json", headers=auth["dpw"]
    )

    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert again.status_code == 409
    assert "already closed" in again.json()["detail"]
    assert no_reason.status_code == 409
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.close_reason == "resolved"


def test_status_unknown_value_is_400(client, auth, make_case):
    case = make_case()

    response = client.post(
        f"{CASES}/{case.reference}/status",
        {"to_status": "exploded"},
        content_type="application/json",
        headers=auth["dpw"],
    )

    assert response.status_code == 400
    assert "to_status" in response.json()["errors"]


def test_assignment(client, auth, staff, make_case):
    case = make_case()
    url = f"{CASES}/{case.reference}/assignment"

    assigned = client.post(
        url,
        {"department": "transportation", "assignee": "dpw"},
        content_type="application/json",
        headers=auth["supervisor"],
    )
    unknown = client.post(
        url,
        {"department": "nope", "assignee": "ghost"},
        content_type="application/json",
        headers=auth["supervisor"],
    )

    assert assigned.status_code == 200
    assert assigned.json()["assignee"] == "dpw"
    assert assigned.json()["department"]["code"] == "transportation"
    assert unknown.status_code == 422
    assert set(unknown.json()["errors"]) == {"department", "assignee"}
    assert case.events.filter(kind=EventKind.ASSIGNED).count() == 1


def test_notes_add_and_list(client, auth, staff, make_case):
    case = make_case()
    url = f"{CASES}/{case.reference}/notes"

    added = client.post(
        url,
        {"body": "Called the resident back"},
        content_type="application/json",
        headers=auth["dpw"],
    )
    blank = client.post(url, {"body": "   "}, content_type="application/json", headers=auth["dpw"])
    listed = client.get(url, headers=auth["dpw"])

    assert added.status_code == 201
    assert added.json()["visibility"] == "internal"
    assert added.json()["author"] == "dpw"
    assert blank.status_code == 422
    assert "body" in blank.json()["errors"]
    assert [note["body"] for note in listed.json()] == ["Called the resident back"]


def test_attachment_upload_and_list(client, auth, make_case):
    case = make_case()
    url = f"{CASES}/{case.reference}/attachments"
    upload = io.BytesIO(_png())
    upload.name = "photo.png"

    added = client.post(url, {"file": upload, "is_public": "true"}, headers=auth["agent"])
    listed = client.get(url, headers=auth["agent"])

    assert added.status_code == 201, added.content
    assert added.json()["content_type"] == "image/png"
    assert added.json()["is_public"] is True
    assert [item["id"] for item in listed.json()] == [added.json()["id"]]
    assert Attachment.objects.get().uploaded_by.username == "agent"


def test_attachment_that_is_not_an_image_is_422(client, auth, make_case):
    case = make_case()
    upload = io.BytesIO(b"MZ\x90\x00 this is an executable")
    upload.name = "photo.jpg"

    response = client.post(
        f"{CASES}/{case.reference}/attachments", {"file": upload}, headers=auth["agent"]
    )

    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert not Attachment.objects.exists()


def test_events_include_staff_only_events(client, auth, staff, make_case):
    case = make_case()
    client.post(
        f"{CASES}/{case.reference}/assignment",
        {"assignee": "dpw"},
        content_type="application/json",
        headers=auth["supervisor"],
    )

    events = client.get(f"{CASES}/{case.reference}/events", headers=auth["dpw"]).json()

    assert [event["kind"] for event in events] == ["opened", "assigned"]
    assert events[1]["is_public"] is False
    assert events[1]["actor"] == "supervisor"


def test_create_needs_only_add_case(client, catalog, staff):
    clerk = staff["nobody"]
    clerk.user_permissions.add(Permission.objects.get(codename="add_case"))
    token = api_token_create(user=clerk, name="intake bot").secret

    response = client.post(
        CASES,
        {"service_code": "pothole", "address": "5 Main St", "email": "x@example.com"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 201
    assert response.json()["resident"] is None
    assert response.json()["notes"] is None
