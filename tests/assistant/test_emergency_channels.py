"""Channels other than the portal: an Open311 client's report that describes an emergency is
created like any other (the GeoReport v2 answer keeps its shape) and its contact is flagged."""

import pytest
from django.core.cache import cache

from civicdesk.cases.models import Case
from civicdesk.contacts.models import Contact
from tests.open311.conftest import demo_catalog  # noqa: F401 (a fixture)
from tests.open311.test_post_support import body, new_key, post, pothole_form


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_open311_report_of_an_emergency_is_created_flagged_and_answered_as_usual(
    client,
    demo_catalog,  # noqa: F811
    fmt,
):
    form = pothole_form(
        new_key(), description="Car crashed into the pothole, the driver is bleeding"
    )

    response = post(client, fmt, form)

    assert response.status_code == 201, response.content
    [answer] = body(response, fmt)
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    case = Case.objects.get(reference=answer["service_request_id"])
    contact = Contact.objects.get(case_links__case=case)
    assert contact.emergency
    assert contact.emergency_category == "crash_with_injuries"


@pytest.mark.django_db
def test_an_open311_routine_report_is_not_flagged(client, demo_catalog):  # noqa: F811
    response = post(client, "json", pothole_form(new_key(), description="Pothole by the hydrant"))

    assert response.status_code == 201
    assert not Contact.objects.get().emergency
