import re

import pytest

from civicdesk.cases.choices import CaseStatus, CloseReason
from civicdesk.cases.services.workflow import case_transition

from .pages import assert_no_personal_data, page_text

pytestmark = pytest.mark.django_db


def references(response):
    return re.findall(r'<th scope="row"[^>]*><a[^>]*>([^<]+)</a></th>', page_text(response))


def test_list_shows_public_requests_without_personal_data(client, personal_case):
    response = client.get("/requests/")

    assert response.status_code == 200
    assert references(response) == [personal_case.reference]
    text = page_text(response)
    assert f'href="/track/?reference={personal_case.reference}"' in text
    assert "Pothole" in text
    assert "1 City Hall Sq" in text
    assert 'portal-status--new">Received</span>' in text
    assert_no_personal_data(text)


def test_list_leaves_out_private_services(client, make_service, make_case):
    shown = make_case()
    make_case(service_type=make_service("internal", "Internal work", is_public=False))

    assert references(client.get("/requests/")) == [shown.reference]


def test_list_pages_newest_first(client, make_case):
    made = [make_case().reference for _ in range(30)]

    first = client.get("/requests/")
    second = client.get("/requests/", {"page": 2})

    assert references(first) == list(reversed(made))[:25]
    assert references(second) == list(reversed(made))[25:]
    assert 'aria-label="Page 2"' in page_text(first)
    assert 'href="?page=2"' in page_text(first)
    assert 'aria-current="page">2</a>' in page_text(second)
    # Out-of-range and junk page numbers show a page, not an error.
    assert references(client.get("/requests/", {"page": 99})) == references(second)
    assert references(client.get("/requests/", {"page": "x"})) == references(first)


def test_list_filters_by_status_and_service(client, make_case, make_service):
    open_case = make_case()
    closed_case = make_case()
    case_transition(
        case=closed_case, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED
    )
    light = make_service("light", "Street light out")
    light_case = make_case(service_type=light)

    assert references(client.get("/requests/", {"status": "open"})) == [
        light_case.reference,
        open_case.reference,
    ]
    assert references(client.get("/requests/", {"status": "closed"})) == [closed_case.reference]
    assert references(client.get("/requests/", {"service": "light"})) == [light_case.reference]
    # A filter value that is not on offer is ignored rather than failing.
    assert len(references(client.get("/requests/", {"status": "bogus", "service": "x"}))) == 3
    empty = page_text(client.get("/requests/", {"status": "closed", "service": "light"}))
    assert "No requests match these filters." in empty


def test_list_in_spanish_uses_spanish_names(client, make_case):
    make_case()

    text = page_text(client.get("/requests/", headers={"accept-language": "es"}))

    assert "Bache" in text
    assert 'portal-status--new">Recibida</span>' in text


def test_list_costs_the_same_few_queries_for_any_page_size(
    client, make_case, django_assert_max_num_queries
):
    for _ in range(3):
        make_case()
    with django_assert_max_num_queries(5):
        client.get("/requests/")
    for _ in range(30):
        make_case()
    # Services for the filter and names, districts for the filter, the count, the page, and
    # the site alerts.
    with django_assert_max_num_queries(5):
        client.get("/requests/")
