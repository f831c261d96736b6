"""A merged request in Open311: closed, saying where it went, and still found by id and token;
the original shows nothing unusual."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.cases.models import Case
from civicdesk.cases.services.merging import case_merge
from civicdesk.open311.models import BatchSubmission
from civicdesk.open311.services import batch_submission_process
from tests.open311.test_post_support import body, new_key, post

from .test_tokens import bulk_form
from .wire import get_json, get_xml, xml_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(make_case):
    original = make_case(description="Deep pothole in the right lane.")
    duplicate = make_case(description="Pothole, right lane.")
    case_merge(duplicate=duplicate, original=original, actor=None, note="internal reason")
    return duplicate, original


def test_the_duplicate_is_closed_and_names_the_original_in_json_and_xml(client, merged):
    duplicate, original = merged
    notes = f"Merged into {original.reference}."

    (record,) = get_json(client, f"requests/{duplicate.reference}", schema="requests")
    assert record["status"] == "closed"
    assert record["status_notes"] == notes
    assert record["service_request_id"] == duplicate.reference

    root = get_xml(
        client, f"requests/{duplicate.reference}", root="service_requests", item="request"
    )
    (row,) = xml_records(root)
    assert row["status"] == "closed" and row["status_notes"] == notes


def test_the_original_shows_nothing_unusual(client, make_case):
    original = make_case()
    params = {"extensions": "true"}
    (before,) = get_json(client, f"requests/{original.reference}", params, schema="requests")
    duplicate = make_case()
    case_merge(duplicate=duplicate, original=original, actor=None, note="internal reason")

    (after,) = get_json(client, f"requests/{original.reference}", params, schema="requests")

    assert after["status"] == "open"
    assert after["status_notes"] == before["status_notes"]
    assert after["notes"] == before["notes"]
    xml = get_xml(client, f"requests/{original.reference}", root="service_requests")
    assert "duplicate" not in xml_records(xml)[0]["status_notes"].lower()


def test_lists_and_extensions_show_the_merge_and_never_the_staff_note(client, merged):
    duplicate, original = merged

    listed = get_json(client, "requests", {"extensions": "true"}, schema="requests")
    by_id = {record["service_request_id"]: record for record in listed}
    assert by_id[duplicate.reference]["status"] == "closed"
    assert by_id[duplicate.reference]["notes"][-1] == {
        "datetime": by_id[duplicate.reference]["updated_datetime"],
        "type": "merged",
        "description": f"Merged into {original.reference}.",
    }
    assert by_id[original.reference]["status"] == "open"
    closed = get_json(client, "requests", {"status": "closed"}, schema="requests")
    assert [record["service_request_id"] for record in closed] == [duplicate.reference]
    root = get_xml(client, "requests", {"status": "closed"}, root="service_requests")
    assert [row["status_notes"] for row in xml_records(root)] == [
        f"Merged into {original.reference}."
    ]
    for path in ("requests", f"requests/{duplicate.reference}", f"requests/{original.reference}"):
        for fmt in ("json", "xml"):
            response = client.get(f"/open311/v2/{path}.{fmt}", {"extensions": "true"})
            assert response.status_code == 200
            assert b"internal reason" not in response.content


def test_the_updates_feed_reports_the_merge_as_a_closing(client, merged):
    duplicate, original = merged
    params = {"start_date": (timezone.now() - timedelta(minutes=5)).isoformat()}

    data = get_json(client, "servicerequestupdates", params, schema="request-updates")

    merges = [u for u in data if u["service_request_id"] == duplicate.reference]
    assert [(u["status"], u["description"]) for u in merges][-1] == (
        "closed",
        f"Merged into {original.reference}.",
    )
    # The original's staff-only DUPLICATE_MERGED event is not an update.
    assert [u["description"] for u in data if u["service_request_id"] == original.reference] == []
    root = get_xml(
        client,
        "servicerequestupdates",
        params,
        root="service_request_updates",
        item="request_update",
    )
    rows = [row for row in xml_records(root) if row["service_request_id"] == duplicate.reference]
    assert rows[-1]["status"] == "closed"
    assert rows[-1]["description"] == f"Merged into {original.reference}."


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_merged_request_still_resolves_from_its_token(client, make_case, fmt):
    response = post(client, fmt, bulk_form(new_key()))
    assert response.status_code == 201, response.content
    [answer] = body(response, fmt)
    batch = BatchSubmission.objects.get()
    processed = batch_submission_process(batch_id=batch.pk)
    assert processed is not None and processed.case is not None
    duplicate = Case.objects.get(pk=processed.case.pk)
    original = make_case(
        service_code="bulk-item-pickup", attributes={"item-count": "1", "item-types": ["furniture"]}
    )
    case_merge(duplicate=duplicate, original=original, actor=None)

    [resolved] = body(client.get(f"/open311/v2/tokens/{answer['token']}.{fmt}"), fmt)

    assert resolved == {"service_request_id": duplicate.reference, "token": answer["token"]}
    (record,) = get_json(client, f"requests/{duplicate.reference}", schema="requests")
    assert record["status"] == "closed"
    assert record["status_notes"] == f"Merged into {original.reference}."
