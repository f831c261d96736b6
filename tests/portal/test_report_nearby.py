"""Open requests of the same kind nearby, shown before the resident reports it again."""

import pytest

from civicdesk.cases.choices import CaseStatus, CloseReason
from civicdesk.cases.services.opening import Location, case_open
from civicdesk.cases.services.workflow import case_transition
from civicdesk.contacts.choices import Channel
from civicdesk.geo.selectors import area_index_clear
from civicdesk.people.models import Resident
from civicdesk.portal.report.selectors import open_requests_near

from .pages import RESIDENT_FIRST, assert_no_personal_data, page_text
from .report_support import SHERIDAN, Flow, load_city, make_streetlight

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _drafts_in_tmp(settings, tmp_path):
    settings.CIVICDESK_REPORT_DRAFT_DIR = tmp_path / "drafts"
    area_index_clear()
    yield
    area_index_clear()


@pytest.fixture
def streetlight(tmp_path, department):
    load_city(tmp_path)
    return make_streetlight(department)


def open_case(service, lat, long, **extra):
    return case_open(
        service_type=service,
        location=Location(lat=lat, long=long, address=extra.pop("address", "near here")),
        description="Light out",
        channel=Channel.WEB,
        **extra,
    )


def test_open_requests_of_the_same_kind_within_150_metres(streetlight, pothole):
    lat, long = SHERIDAN
    near = open_case(streetlight, lat + 0.0005, long)  # about 56 m north
    also = open_case(streetlight, lat, long + 0.0015)  # about 123 m east
    open_case(streetlight, lat + 0.002, long)  # about 220 m: too far
    open_case(pothole, lat, long)  # another kind
    closed = open_case(streetlight, lat, long)
    case_transition(case=closed, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED)

    found = open_requests_near(service_type=streetlight, lat=lat, long=long)

    assert [item.reference for item in found] == [near.reference, also.reference]
    assert [item.distance_metres for item in found] == [56, 123]


def test_the_flow_shows_them_and_offers_to_follow_instead(client, streetlight):
    resident = Resident.objects.create(first_name=RESIDENT_FIRST)
    case = open_case(streetlight, *SHERIDAN, address="25 Sheridan St", resident=resident)
    flow = Flow(client, "streetlight")
    flow.details()

    response = flow.location()

    assert response.status_code == 302 and response.url == flow.url("nearby")
    page = flow.get("nearby")
    text = page_text(page)
    assert f'data-request="{case.reference}"' in text
    follow_url = f"{flow.url('nearby')}{case.reference}/"
    assert f'href="{follow_url}">This is my problem: follow it instead' in text
    assert "Less than 10 metres away" in text and "25 Sheridan St" in text
    assert f'href="{flow.url("photos")}">Mine is a different problem: continue' in text
    assert_no_personal_data(text)
    assert flow.get("photos").status_code == 200


def test_without_nearby_requests_the_flow_goes_straight_on(client, streetlight):
    flow = Flow(client, "streetlight")
    flow.details()

    assert flow.location().url == flow.url("photos")
    assert flow.get("nearby").url == flow.url("photos")


def test_one_query(streetlight, django_assert_num_queries):
    open_case(streetlight, *SHERIDAN)

    with django_assert_num_queries(1):
        open_requests_near(service_type=streetlight, lat=SHERIDAN[0], long=SHERIDAN[1])
