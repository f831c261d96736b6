"""GET requests.{fmt}: the spec's filters, the defaults, and the extensions we support."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus, CloseReason, NoteVisibility
from civicdesk.cases.services.workflow import case_note_add, case_transition

from .wire import get_json, get_xml, xml_records

pytestmark = pytest.mark.django_db


def ids(data):
    return [record["service_request_id"] for record in data]


def test_list_json_and_xml(client, make_case):
    first = make_case(description="First")
    second = make_case(description="Second", service_code="graffiti-removal", attributes={})
    data = get_json(client, "requests", schema="requests")
    assert ids(data) == [second.reference, first.reference]  # newest first
    record = data[1]
    assert record["status"] == "open"
    assert record["service_code"] == "pothole"
    assert record["agency_responsible"] == "Public Works Department"
    assert record["lat"] == pytest.approx(42.3601)
    assert "attributes" not in record and "notes" not in record

    root = get_xml(client, "requests", root="service_requests", item="request")
    rows = xml_records(root)
    assert [row["service_request_id"] for row in rows] == ids(data)
    assert rows[1]["status"] == "open"
    assert rows[1]["requested_datetime"] == record["requested_datetime"]


def test_default_window_is_90_days(client, make_historical_case):
    now = timezone.now()
    recent = make_historical_case(requested_at=now - timedelta(days=89))
    make_historical_case(requested_at=now - timedelta(days=91))
    assert ids(get_json(client, "requests", schema="requests")) == [recent.reference]


def test_service_request_id_overrides_every_other_filter(client, make_historical_case):
    old = make_historical_case(
        requested_at=datetime(2020, 5, 1, tzinfo=UTC), status=CaseStatus.CLOSED
    )
    other = make_historical_case(requested_at=timezone.now())
    params = {
        "service_request_id": f"{old.reference}, {other.reference},nope",
        "status": "open",
        "service_code": "graffiti-removal",
        "start_date": "2026-01-01",
    }
    assert set(ids(get_json(client, "requests", params, schema="requests"))) == {
        old.reference,
        other.reference,
    }


def test_service_code_list(client, make_case):
    pothole = make_case()
    graffiti = make_case(service_code="graffiti-removal", attributes={})
    make_case(service_code="street-cleaning", attributes={})
    data = get_json(
        client, "requests", {"service_code": "pothole,graffiti-removal"}, schema="requests"
    )
    assert set(ids(data)) == {pothole.reference, graffiti.reference}
    assert get_json(client, "requests", {"service_code": "no-such"}, schema="requests") == []


def test_start_and_end_dates(client, make_historical_case):
    inside = make_historical_case(requested_at=datetime(2026, 3, 10, 15, tzinfo=UTC))
    make_historical_case(requested_at=datetime(2026, 2, 1, tzinfo=UTC))
    make_historical_case(requested_at=datetime(2026, 5, 1, tzinfo=UTC))
    for start, end in [
        ("2026-03-01T00:00:00Z", "2026-03-31T23:59:59Z"),
        ("2026-03-01T00:00:00-05:00", "2026-03-31T00:00:00+01:00"),
        ("2026-03-10", "2026-03-10"),  # date-only end means the end of that day
        ("2026-03-10T10:00:00", "2026-03-10T12:00:00"),  # naive: the jurisdiction's zone
    ]:
        params = {"start_date": start, "end_date": end}
        assert ids(get_json(client, "requests", params, schema="requests")) == [inside.reference], (
            params
        )


def test_one_bound_gets_a_90_day_window(client, make_historical_case):
    case = make_historical_case(requested_at=datetime(2026, 3, 10, tzinfo=UTC))
    assert ids(get_json(client, "requests", {"start_date": "2026-01-01"}, schema="requests")) == [
        case.reference
    ]
    assert get_json(client, "requests", {"start_date": "2025-11-01"}, schema="requests") == []
    assert ids(get_json(client, "requests", {"end_date": "2026-05-01"}, schema="requests")) == [
        case.reference
    ]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"start_date": "2026-01-01", "end_date": "2026-04-02"}, "end_date"),
        ({"start_date": "2026-03-01", "end_date": "2026-02-01"}, "end_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-01"}, "end_date"),
        ({"start_date": "0001-01-01"}, "start_date"),
        ({"updated_after": "2026-02-01", "updated_before": "2026-01-01"}, "updated_before"),
        ({"status": "pending"}, "status"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page": "9" * 40}, "page"),
        ({"page_size": "1001"}, "page_size"),
        ({"page_size": "abc"}, "page_size"),
        ({"extensions": "yes"}, "extensions"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "43,-71,42,-70"}, "bbox"),
        ({"bbox": "nan,1,2,3"}, "bbox"),
        ({"lat": "42.3", "long": "-71"}, "radius"),
        ({"lat": "142.3", "long": "-71", "radius": "100"}, "lat"),
        ({"lat": "42.3", "long": "-71", "radius": "1e9"}, "radius"),
        ({"lat": "42.3", "long": "-71", "radius": "inf"}, "radius"),
        ({"q": "x" * 201}, "q"),
        ({"service_code": "a\x00b"}, "service_code"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client, db, params, named):
    errors = get_json(client, "requests", params, schema="errors", status=400)
    assert errors[0]["code"] == 400
    assert errors[0]["description"].startswith(f"{named}:"), errors
    root = get_xml(client, "requests", params, root="errors", item="error", status=400)
    assert root.findtext("error/description").startswith(f"{named}:")


@pytest.mark.parametrize("name", ["status", "service_code", "page", "start_date", "q"])
def test_duplicated_parameter_is_400(client, db, name):
    response = client.get(f"/open311/v2/requests.json?{name}=open&{name}=closed")
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith(f"{name}:")
    assert "more than once" in response.json()[0]["description"]


def test_status_filter(client, make_case):
    still_open = make_case()
    closed = make_case()
    case_transition(case=closed, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED)
    in_progress = make_case()
    case_transition(case=in_progress, to_status=CaseStatus.IN_PROGRESS)
    assert set(ids(get_json(client, "requests", {"status": "open"}, schema="requests"))) == {
        still_open.reference,
        in_progress.reference,
    }
    closed_data = get_json(client, "requests", {"status": "closed"}, schema="requests")
    assert ids(closed_data) == [closed.reference]
    assert closed_data[0]["status"] == "closed"
    assert len(get_json(client, "requests", {"status": "open,closed"}, schema="requests")) == 3
    assert len(get_json(client, "requests", {"status": "Open, CLOSED"}, schema="requests")) == 3


def test_paging(client, make_historical_case):
    now = timezone.now()
    cases = [make_historical_case(requested_at=now - timedelta(hours=i)) for i in range(7)]
    newest_first = [case.reference for case in cases]
    assert (
        ids(get_json(client, "requests", {"page_size": 3}, schema="requests")) == (newest_first[:3])
    )
    page3 = get_json(client, "requests", {"page_size": 3, "page": 3}, schema="requests")
    assert ids(page3) == newest_first[6:]
    assert get_json(client, "requests", {"page_size": 3, "page": 4}, schema="requests") == []
    assert get_json(client, "requests", {"page": 10**9}, schema="requests") == []
    # page alone uses pages of 50
    assert ids(get_json(client, "requests", {"page": 1}, schema="requests")) == newest_first
    root = get_xml(client, "requests", {"page": 99}, root="service_requests")
    assert list(root) == []


def test_extensions_add_attributes_and_public_notes(client, make_case):
    case = make_case(attributes={"size": "small", "lane": "bike-lane"})
    case_note_add(case=case, body="Crew scheduled.", visibility=NoteVisibility.PUBLIC)
    case_note_add(case=case, body="internal only", visibility=NoteVisibility.INTERNAL)
    (record,) = get_json(client, "requests", {"extensions": "true"}, schema="requests")
    assert {"code": "size", "value": "small"} in record["attributes"]
    descriptions = [note["description"] for note in record["notes"]]
    assert "Crew scheduled." in descriptions
    assert "internal only" not in descriptions
    (plain,) = get_json(client, "requests", {"extensions": "false"}, schema="requests")
    assert "notes" not in plain

    root = get_xml(client, "requests", {"extensions": "true"}, root="service_requests")
    request = root.find("request")
    assert request.findtext("attributes/attribute/code") in {"size", "lane"}
    assert [n.findtext("description") for n in request.findall("notes/note")][-1] == (
        "Crew scheduled."
    )


def test_updated_after_and_before(client, make_historical_case):
    old_but_updated = make_historical_case(
        requested_at=datetime(2025, 1, 1, tzinfo=UTC), status=CaseStatus.OPEN
    )
    case_transition(
        case=old_but_updated,
        to_status=CaseStatus.CLOSED,
        close_reason=CloseReason.RESOLVED,
        at=datetime(2026, 6, 1, tzinfo=UTC),
    )
    make_historical_case(requested_at=datetime(2025, 2, 1, tzinfo=UTC))
    params = {"updated_after": "2026-05-01T00:00:00Z"}
    assert ids(get_json(client, "requests", params, schema="requests")) == [
        old_but_updated.reference
    ]
    params = {"updated_after": "2024-12-01", "updated_before": "2025-03-01"}
    assert len(get_json(client, "requests", params, schema="requests")) == 1


def test_text_search(client, make_case):
    by_description = make_case(description="Huge CRATER near the school")
    by_address = make_case(description="x", address="12 Crater Lane")
    by_service = make_case(service_code="graffiti-removal", attributes={}, description="y")
    make_case(description="nothing relevant")
    assert set(ids(get_json(client, "requests", {"q": "crater"}, schema="requests"))) == {
        by_description.reference,
        by_address.reference,
    }
    assert ids(get_json(client, "requests", {"q": "GRAFFITI"}, schema="requests")) == [
        by_service.reference
    ]
    assert get_json(client, "requests", {"q": "%"}, schema="requests") == []
    assert get_json(client, "requests", {"q": "_"}, schema="requests") == []


def test_bbox_and_radius(client, make_case):
    city_hall = make_case(lat=42.3601, long=-71.0589)
    about_500m_north = make_case(lat=42.3646, long=-71.0589)
    far = make_case(lat=42.25, long=-71.12)
    params = {"bbox": "42.35,-71.07,42.37,-71.05"}
    assert set(ids(get_json(client, "requests", params, schema="requests"))) == {
        city_hall.reference,
        about_500m_north.reference,
    }
    near = {"lat": "42.3601", "long": "-71.0589", "radius": "300"}
    assert ids(get_json(client, "requests", near, schema="requests")) == [city_hall.reference]
    wider = {**near, "radius": "800"}
    assert set(ids(get_json(client, "requests", wider, schema="requests"))) == {
        city_hall.reference,
        about_500m_north.reference,
    }
    everything = {**near, "radius": "50000"}
    assert far.reference in ids(get_json(client, "requests", everything, schema="requests"))


def test_query_count_does_not_grow_with_rows(
    client, make_case, jurisdictions_checked, django_assert_num_queries
):
    for _ in range(5):
        case = make_case()
        case_note_add(case=case, body="Public note", visibility=NoteVisibility.PUBLIC)
    with django_assert_num_queries(4):
        assert len(get_json(client, "requests", {"extensions": "true"}, schema="requests")) == 5
    for _ in range(45):
        make_case()
    with django_assert_num_queries(4):
        assert len(get_json(client, "requests", {"extensions": "true"}, schema="requests")) == 50
    # Without extensions a page is one query: status notes and photos come as subqueries.
    with django_assert_num_queries(1):
        get_xml(client, "requests", root="service_requests", item="request")
    with django_assert_num_queries(1):
        assert len(get_json(client, "requests", {"page_size": 7}, schema="requests")) == 7
