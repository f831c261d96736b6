"""GET requests/{id}.{fmt} (a list of one) and the servicerequestupdates feed."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus, CloseReason, NoteVisibility
from civicdesk.cases.services.attachments import attachment_store, attachment_validate
from civicdesk.cases.services.workflow import case_note_add, case_transition
from civicdesk.catalog.models import ServiceType

from .test_xml_and_privacy import png_upload
from .wire import get_json, get_xml, xml_records

pytestmark = pytest.mark.django_db


def test_one_request_is_a_list_of_one(client, make_case):
    case = make_case()
    (record,) = get_json(client, f"requests/{case.reference}", schema="requests")
    assert record["service_request_id"] == case.reference
    root = get_xml(client, f"requests/{case.reference}", root="service_requests", item="request")
    assert [r["service_request_id"] for r in xml_records(root)] == [case.reference]


def test_one_request_with_extensions(client, make_case):
    case = make_case()
    case_note_add(case=case, body="On the list.", visibility=NoteVisibility.PUBLIC)
    params = {"extensions": "true"}
    (record,) = get_json(client, f"requests/{case.reference}", params, schema="requests")
    assert record["notes"][-1]["description"] == "On the list."
    get_json(
        client, f"requests/{case.reference}", {"extensions": "maybe"}, schema="errors", status=400
    )


def test_old_requests_are_reachable_by_id(client, make_historical_case):
    case = make_historical_case(requested_at=datetime(2019, 1, 1, tzinfo=UTC))
    (record,) = get_json(client, f"requests/{case.reference}", schema="requests")
    assert record["requested_datetime"].startswith("2018-12-31T19:00:00-05:00")


def test_unknown_request_is_404(client, demo_catalog):
    errors = get_json(client, "requests/26-999999", schema="errors", status=404)
    assert errors[0]["code"] == 404
    get_xml(client, "requests/26-999999", root="errors", item="error", status=404)


def test_request_of_a_private_service_is_hidden(client, make_case):
    case = make_case()
    ServiceType.objects.filter(code="pothole").update(is_public=False)
    get_json(client, f"requests/{case.reference}", schema="errors", status=404)
    assert get_json(client, "requests", schema="requests") == []


def test_updates_feed(client, make_case):
    case = make_case()
    start = timezone.now() - timedelta(minutes=1)
    case_note_add(case=case, body="Crew scheduled.", visibility=NoteVisibility.PUBLIC)
    case_note_add(case=case, body="internal", visibility=NoteVisibility.INTERNAL)
    case_transition(
        case=case,
        to_status=CaseStatus.CLOSED,
        close_reason=CloseReason.RESOLVED,
        public_note="Filled.",
    )
    case_note_add(case=case, body="Thanks for reporting.", visibility=NoteVisibility.PUBLIC)
    attachment_store(
        case=case, upload=attachment_validate(upload=png_upload(), field="media"), is_public=True
    )
    params = {"start_date": start.isoformat()}
    data = get_json(client, "servicerequestupdates", params, schema="request-updates")
    assert [(u["description"], u["status"]) for u in data] == [
        ("Crew scheduled.", "open"),
        ("Filled.", "closed"),
        ("Thanks for reporting.", "closed"),
        ("Photo or document added.", "closed"),
    ]
    assert {u["service_request_id"] for u in data} == {case.reference}
    assert data[-1]["media_url"].startswith("http://testserver/")
    assert data[0]["media_url"] == ""
    assert len({u["update_id"] for u in data}) == 4

    root = get_xml(
        client,
        "servicerequestupdates",
        params,
        root="service_request_updates",
        item="request_update",
    )
    rows = xml_records(root)
    assert [row["status"] for row in rows] == ["open", "closed", "closed", "closed"]
    assert set(rows[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    }


def test_updates_feed_window_and_paging(client, make_historical_case):
    make_historical_case(
        requested_at=datetime(2026, 1, 1, tzinfo=UTC),
        status=CaseStatus.CLOSED,
        closed_at=datetime(2026, 1, 5, tzinfo=UTC),
        status_notes="Done in January.",
    )
    make_historical_case(
        requested_at=datetime(2026, 3, 1, tzinfo=UTC),
        status=CaseStatus.CLOSED,
        closed_at=datetime(2026, 3, 5, tzinfo=UTC),
        status_notes="Done in March.",
    )
    window = {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-03-31T00:00:00Z"}
    data = get_json(client, "servicerequestupdates", window, schema="request-updates")
    assert [u["description"] for u in data] == ["Done in January.", "Done in March."]
    page2 = {**window, "page_size": "1", "page": "2"}
    assert [
        u["description"]
        for u in get_json(client, "servicerequestupdates", page2, schema="request-updates")
    ] == ["Done in March."]
    march = {"start_date": "2026-02-01"}
    assert [
        u["description"]
        for u in get_json(client, "servicerequestupdates", march, schema="request-updates")
    ] == ["Done in March."]
    too_long = {"start_date": "2026-01-01", "end_date": "2026-06-01"}
    get_json(client, "servicerequestupdates", too_long, schema="errors", status=400)
    # No window: the last day, which here has nothing.
    assert get_json(client, "servicerequestupdates", schema="request-updates") == []


def test_updates_feed_query_count(
    client, make_case, jurisdictions_checked, django_assert_num_queries
):
    start = (timezone.now() - timedelta(minutes=1)).isoformat()
    for _ in range(3):
        case_note_add(case=make_case(), body="Note", visibility=NoteVisibility.PUBLIC)
    with django_assert_num_queries(1):
        assert (
            len(
                get_json(
                    client, "servicerequestupdates", {"start_date": start}, schema="request-updates"
                )
            )
            == 3
        )
    for _ in range(10):
        case_note_add(case=make_case(), body="Note", visibility=NoteVisibility.PUBLIC)
    with django_assert_num_queries(1):
        assert (
            len(
                get_json(
                    client, "servicerequestupdates", {"start_date": start}, schema="request-updates"
                )
            )
            == 13
        )
