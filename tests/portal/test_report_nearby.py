"""Open requests of the same kind nearby, shown before the resident reports it again."""

import pytest

from civicdesk.cases.services.opening import Location, case_open
from civicdesk.contacts.choices import Channel
from civicdesk.people.models import Resident

from .pages import RESIDENT_FIRST, assert_no_personal_data, page_text
from .report_support import SHERIDAN, Flow, load_city, make_streetlight

pytestmark = pytest.mark.django_db


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
