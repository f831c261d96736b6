"""GET /cases/{reference}/duplicates and POST /cases/{reference}/merge."""

import pytest

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind
from civicdesk.cases.models import Case, CaseEvent
from civicdesk.cases.services.workflow import case_transition

pytestmark = pytest.mark.django_db

HERE = {"lat": 42.3601, "long": -71.0589}
NEARBY = {"lat": 42.3604, "long": -71.0589}  # about 33 m north


def url(reference: str, action: str) -> str:
    return f"/api/v1/cases/{reference}/{action}"


def merge(client, headers, duplicate: str, body: dict) -> object:
    return client.post(
        url(duplicate, "merge"), body, content_type="application/json", headers=headers
    )


def test_duplicates_lists_nearby_open_requests_best_first(client, auth, make_case):
    original = make_case(description="Deep pothole by the bus stop", **HERE)
    unrelated = make_case(description="Cracked kerb", **NEARBY)
    report = make_case(description="Pothole at the bus stop, deep", **NEARBY)
    make_case(service_code="graffiti-removal", description="Pothole drawing", **HERE)
    make_case(description="No location")

    response = client.get(url(report.reference, "duplicates"), headers=auth["agent"])

    assert response.status_code == 200
    body = response.json()
    assert [item["reference"] for item in body] == [original.reference, unrelated.reference]
    first = body[0]
    assert first["service"] == "pothole" and first["status"] == "new"
    assert first["distance_metres"] == pytest.approx(33, abs=2)
    assert first["similarity"] > body[1]["similarity"]
    assert set(first) == {
        "reference",
        "status",
        "service",
        "description",
        "address",
        "lat",
        "long",
        "requested_at",
        "distance_metres",
        "similarity",
        "score",
    }


def test_a_request_without_a_location_has_none(client, auth, make_case):
    make_case(**HERE)
    report = make_case()

    response = client.get(url(report.reference, "duplicates"), headers=auth["agent"])

    assert response.status_code == 200 and response.json() == []


def test_merge_closes_the_duplicate_into_the_original(client, auth, make_case, staff):
    original = make_case(**HERE)
    duplicate = make_case(**NEARBY)

    response = merge(
        client, auth["dpw"], duplicate.reference, {"into": original.reference, "note": "Same"}
    )

    assert response.status_code == 200, response.content
    assert response.json() == {
        "duplicate": duplicate.reference,
        "original": original.reference,
        "status": "closed",
        "close_reason": "duplicate",
        "followers_added": 1,  # the reporting resident asked for updates
        "contacts_linked": 1,
    }
    duplicate.refresh_from_db()
    assert duplicate.merged_into == original
    event = CaseEvent.objects.get(case=duplicate, kind=EventKind.MERGED)
    assert event.actor == staff["dpw"] and event.data["note"] == "Same"
    detail = client.get(f"/api/v1/cases/{duplicate.reference}", headers=auth["dpw"]).json()
    assert detail["status"] == "closed" and detail["close_reason"] == "duplicate"


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        ("self", "itself"),
        ("original_closed", "is closed; merge into an open request"),
        ("duplicate_closed", "only an open request can be merged"),
        ("original_merged", "was itself merged"),
    ],
)
def test_refused_merges_say_why(client, auth, make_case, setup, fragment):
    original = make_case(**HERE)
    duplicate = make_case(**NEARBY)
    into = original.reference
    if setup == "self":
        into = duplicate.reference
    elif setup == "original_closed":
        case_transition(
            case=original, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED
        )
    elif setup == "duplicate_closed":
        case_transition(
            case=duplicate, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED
        )
    else:
        third = make_case(**HERE)
        assert (
            merge(client, auth["agent"], original.reference, {"into": third.reference}).status_code
            == 200
        )

    response = merge(client, auth["agent"], duplicate.reference, {"into": into})

    assert response.status_code == 422
    body = response.json()
    assert fragment in body["detail"] and body["errors"]["into"] == [body["detail"]]
    assert Case.objects.get(pk=duplicate.pk).merged_into is None


def test_unknown_references_are_404(client, auth, make_case):
    case = make_case()

    assert client.get(url("26-999999", "duplicates"), headers=auth["agent"]).status_code == 404
    assert merge(client, auth["agent"], "26-999999", {"into": case.reference}).status_code == 404
    response = merge(client, auth["agent"], case.reference, {"into": "26-999999"})
    assert response.status_code == 404 and response.json()["errors"]["into"]


def test_a_bad_body_is_a_400(client, auth, make_case):
    case = make_case()

    assert merge(client, auth["agent"], case.reference, {}).status_code == 400
    bad = merge(client, auth["agent"], case.reference, {"into": "a b"})
    assert bad.status_code == 400 and "into" in bad.json()["errors"]
    long_note = {"into": make_case().reference, "note": "x" * 10_001}
    assert merge(client, auth["agent"], case.reference, long_note).status_code == 400
