"""A thousand requests: the default cap, the order and the query budget (speed is measured by
bench/open311.py, not asserted here)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from civicdesk.cases.choices import CaseStatus, EventKind
from civicdesk.cases.models import Case, CaseEvent
from civicdesk.catalog.models import ServiceType
from civicdesk.contacts.choices import Channel

from .wire import BASE, get_json, parse_xml, validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_cases(demo_catalog):
    # Rows written in bulk: going through intake a thousand times would test intake, slowly.
    service_type = ServiceType.objects.select_related("default_department").get(code="pothole")
    now = timezone.now()
    cases = Case.objects.bulk_create(
        Case(
            reference=f"26-9{index:05d}",
            service_type=service_type,
            department=service_type.default_department,
            status=CaseStatus.CLOSED if index % 3 == 0 else CaseStatus.OPEN,
            close_reason="resolved" if index % 3 == 0 else "",
            description=f"Bulk report {index}",
            lat=42.36,
            long=-71.06,
            channel=Channel.OPEN311,
            requested_at=now - timedelta(minutes=index),
            updated_at=now - timedelta(minutes=index),
        )
        for index in range(1050)
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=EventKind.OPENED,
            to_status=CaseStatus.NEW,
            is_public=True,
            public_text="Request received.",
            created_at=case.requested_at,
        )
        for case in cases
    )
    return cases


def test_default_is_the_newest_thousand(
    client, many_cases, jurisdictions_checked, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get(f"{BASE}requests.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    validate(data, "requests")
    assert len(data) == 1000
    assert data[0]["service_request_id"] == "26-900000"
    assert data[-1]["service_request_id"] == "26-900999"


def test_a_thousand_in_xml_with_extensions(
    client, many_cases, jurisdictions_checked, django_assert_num_queries
):
    with django_assert_num_queries(4):
        response = client.get(f"{BASE}requests.xml", {"extensions": "true"})
    root = parse_xml(response.content, root="service_requests", item="request")
    assert len(root) == 1000


def test_paging_reaches_past_the_first_thousand(client, many_cases):
    params = {"page": "2", "page_size": "1000"}
    assert len(get_json(client, "requests", params, schema="requests")) == 50
