import datetime as dt
import json
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicdesk.cases.choices import CaseStatus, CloseReason, NoteVisibility
from civicdesk.cases.models import Case
from civicdesk.cases.public import case_public_record
from civicdesk.cases.selectors import case_list
from civicdesk.cases.services.attachments import attachment_store, attachment_validate
from civicdesk.cases.services.workflow import case_assign, case_note_add, case_transition
from civicdesk.people.choices import ContactPointKind
from civicdesk.people.models import ContactPoint, Resident

from .test_attachments import jpeg_with_gps, upload

pytestmark = pytest.mark.django_db

SECRET = "SECRET-INTERNAL-MARKER-7f3a"


def resident_with_contacts(*, first: str, last: str, email: str, phone: str) -> Resident:
    resident = Resident.objects.create(first_name=first, last_name=last)
    ContactPoint.objects.create(resident=resident, kind=ContactPointKind.EMAIL, value=email)
    ContactPoint.objects.create(resident=resident, kind=ContactPointKind.PHONE, value=phone)
    return resident


def worked_case(make_case, agent, other_department, resident) -> Case:
    case = make_case(resident=resident, attributes={"lane": "right"})
    case_assign(case=case, department=other_department, assignee=agent, actor=agent)
    case_note_add(case=case, body=f"Caller said {SECRET}", visibility=NoteVisibility.INTERNAL)
    case_note_add(case=case, body="Crew scheduled for Tuesday.", visibility=NoteVisibility.PUBLIC)
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=agent)
    case_transition(
        case=case,
        to_status=CaseStatus.CLOSED,
        close_reason=CloseReason.RESOLVED,
        public_note="Pothole filled.",
        actor=agent,
    )
    return case


def serialized(case) -> list[str]:
    return [
        json.dumps(case_public_record(case, extensions=extensions), ensure_ascii=False)
        for extensions in (False, True)
    ]


def test_public_record_fields(make_case, agent, other_department):
    case = make_case(requested_at=dt.datetime(2025, 1, 15, 15, 0, tzinfo=dt.UTC))
    case_note_add(case=case, body="Crew scheduled.", visibility=NoteVisibility.PUBLIC)
    record = case_public_record(case)
    assert record == {
        "service_request_id": case.reference,
        "status": "open",
        "status_notes": "Crew scheduled.",
        "service_name": "Pothole repair",
        "service_code": "pothole",
        "description": "Deep pothole in the right lane.",
        "agency_responsible": "Public Works",
        "service_notice": "",
        "requested_datetime": "2025-01-15T10:00:00-05:00",
        "updated_datetime": record["updated_datetime"],
        "expected_datetime": None,
        "address": "1 City Hall Sq",
        "address_id": "",
        "zipcode": "02201",
        "lat": 42.3601,
        "long": -71.0589,
        "media_url": "",
    }
    assert record["updated_datetime"].endswith(("-05:00", "-04:00"))


def test_datetimes_follow_jurisdiction_zone(make_case):
    case = make_case(requested_at=dt.datetime(2025, 7, 1, 12, 0, tzinfo=dt.UTC))
    assert case_public_record(case)["requested_datetime"] == "2025-07-01T08:00:00-04:00"
    with override_settings(CIVICDESK_JURISDICTION_TIMEZONE="America/Los_Angeles"):
        assert case_public_record(case)["requested_datetime"] == "2025-07-01T05:00:00-07:00"


def test_closed_case_record_and_timeline(make_case, agent, other_department):
    resident = resident_with_contacts(
        first="Zelda", last="Quixote", email="zelda@example.org", phone="+16175550123"
    )
    case = worked_case(make_case, agent, other_department, resident)
    record = case_public_record(case, extensions=True)
    assert record["status"] == "closed"
    assert record["status_notes"] == "Pothole filled."
    assert record["agency_responsible"] == "Parks and Recreation"
    assert record["attributes"] == {"lane": "right"}
    assert [(n["type"], n["description"]) for n in record["notes"]] == [
        ("opened", "Request received."),
        ("note_added", "Crew scheduled for Tuesday."),
        ("status_changed", ""),
        ("closed", "Pothole filled."),
    ]
    assert all(n["datetime"].endswith(("-05:00", "-04:00")) for n in record["notes"])


def test_no_pii_or_internal_data_in_public_record(make_case, agent, other_department):
    resident = resident_with_contacts(
        first="Zelda", last="Quixote", email="zelda.q@example.org", phone="+16175550123"
    )
    case = worked_case(make_case, agent, other_department, resident)
    forbidden = [
        "Zelda",
        "Quixote",
        "zelda.q@example.org",
        "+16175550123",
        "6175550123",
        SECRET,
        "Caller said",
        agent.username,
        agent.email,
        agent.first_name,
        "assigned",
        "assignee",
        "resident",
    ]
    for text in serialized(case):
        for value in forbidden:
            assert value not in text


def test_media_url_from_first_public_attachment(case):
    private = attachment_validate(upload=upload("private.jpg", jpeg_with_gps()))
    attachment_store(case=case, upload=private, is_public=False)
    assert case_public_record(case)["media_url"] == ""
    public = attachment_validate(upload=upload("public.jpg", jpeg_with_gps()))
    attachment = attachment_store(case=case, upload=public, is_public=True)
    url = case_public_record(case)["media_url"]
    assert url == attachment.file.url
    assert "public" not in url


def test_case_media_url_wins(make_case):
    case = make_case(media_url="https://img.example.org/1.jpg")
    assert case_public_record(case)["media_url"] == "https://img.example.org/1.jpg"


names = st.text(alphabet=st.characters(categories=["Lu", "Ll"]), min_size=6, max_size=20)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=names,
    last=names,
    email=st.emails(),
    phone=st.from_regex(r"\+1[2-9]\d{2}[2-9]\d{6}", fullmatch=True),
    secret=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=12, max_size=24),
)
def test_no_pii_for_any_resident(
    make_case, agent, other_department, first, last, email, phone, secret
):
    with transaction.atomic():
        resident = resident_with_contacts(first=first, last=last, email=email, phone=phone)
        case = make_case(resident=resident)
        case_assign(case=case, department=other_department, assignee=agent)
        case_note_add(
            case=case, body=f"{first} {last} {email} {secret}", visibility=NoteVisibility.INTERNAL
        )
        case_note_add(case=case, body="Visible update.", visibility=NoteVisibility.PUBLIC)
        for text in serialized(case):
            for value in (first, last, email, phone, secret):
                assert value not in text
        transaction.set_rollback(True)


def test_public_list_has_fixed_query_count(make_case, django_assert_num_queries):
    def records() -> list[dict[str, Any]]:
        return [
            case_public_record(case, extensions=True)
            for case in case_list(with_public_timeline=True)
        ]

    for _ in range(3):
        case_note_add(case=make_case(), body="Update.", visibility=NoteVisibility.PUBLIC)
    # cases (with joins), public events, public notes, public attachments.
    with django_assert_num_queries(4):
        assert len(records()) == 3
    for _ in range(27):
        make_case()
    with django_assert_num_queries(4):
        assert len(records()) == 30
