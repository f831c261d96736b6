"""Lists cost the same number of queries whatever their length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicdesk.cases.models import Case


def _make_cases(make_case, count: int) -> None:
    first = make_case()
    for _ in range(count - 1):
        make_case(description="Another one", email="", phone="", first_name="", last_name="")
    assert Case.objects.count() == count
    Case.objects.exclude(pk=first.pk).update(assignee=first.contacts.get().agent)


def _queries(client, url, headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("count", [5, 50])
def test_case_list_query_budget(client, auth, staff, make_case, django_assert_num_queries, count):
    _make_cases(make_case, count)
    # Warm the token's last-used stamp so both runs skip that write.
    client.get("/api/v1/me", headers=auth["supervisor"])

    # token + user, user permissions, group permissions, count, page
    with django_assert_num_queries(5):
        response = client.get("/api/v1/cases?page_size=100", headers=auth["supervisor"])

    assert len(response.json()["results"]) == count


def test_contact_list_is_constant(client, auth, make_case):
    for _ in range(3):
        make_case()
    client.get("/api/v1/me", headers=auth["supervisor"])  # stamp last-used outside the count
    small = _queries(client, "/api/v1/contacts", auth["supervisor"])
    for _ in range(20):
        make_case()

    assert _queries(client, "/api/v1/contacts", auth["supervisor"]) == small


def test_service_type_list_is_constant(client, auth, catalog, full_catalog):
    assert _queries(client, "/api/v1/catalog/service-types", auth["agent"]) <= 8
