"""The cases admin: possible duplicates on the case page, and merging from there."""

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.urls import reverse

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind
from civicdesk.cases.models import Case, CaseEvent
from civicdesk.cases.services.opening import Location
from civicdesk.cases.services.workflow import case_transition
from civicdesk.catalog.models import Provider

pytestmark = pytest.mark.django_db

NEAR = Location(lat=42.3603, long=-71.0589, address="3 City Hall Sq")


def change_url(case) -> str:
    return reverse("admin:cases_case_change", args=[case.pk])


def merge_url(case) -> str:
    return reverse("admin:cases_case_merge", args=[case.pk])


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def pair(make_case):
    original = make_case(description="Deep pothole in the right lane.")
    duplicate = make_case(location=NEAR, description="Pothole, right lane, deep")
    return duplicate, original


def test_the_case_page_lists_possible_duplicates(admin_client, pair, make_case):
    duplicate, original = pair
    make_case(location=Location(lat=42.37, long=-71.0589))  # about 1 km away

    body = admin_client.get(change_url(duplicate)).content.decode()

    assert "Possible duplicates" in body
    assert f'data-duplicate="{original.reference}"' in body
    assert body.count("data-duplicate=") == 1
    assert f"{merge_url(duplicate)}?into={original.reference}" in body
    assert "Merge into another request" in body


def test_a_case_with_no_neighbours_says_so(admin_client, make_case):
    lonely = make_case()

    body = admin_client.get(change_url(lonely)).content.decode()

    assert "No open request of the same or a related service" in body


def test_merge_page_compares_then_merges(admin_client, pair):
    duplicate, original = pair

    choose = admin_client.get(merge_url(duplicate)).content.decode()
    assert f'data-candidate="{original.reference}"' in choose
    compare = admin_client.get(merge_url(duplicate), {"into": original.reference})
    page = compare.content.decode()
    assert "Check both requests" in page and "Pothole, right lane, deep" in page
    assert f"Merge {duplicate.reference} into {original.reference}" in page

    response = admin_client.post(
        merge_url(duplicate), {"into": original.reference, "note": "Same hole"}
    )

    assert response.status_code == 302 and response.url == change_url(duplicate)
    assert said(response) == [f"{duplicate.reference} was merged into {original.reference}."]
    duplicate.refresh_from_db()
    assert duplicate.merged_into == original and duplicate.close_reason == CloseReason.DUPLICATE
    event = CaseEvent.objects.get(case=duplicate, kind=EventKind.MERGED)
    assert event.data["note"] == "Same hole" and event.actor.is_superuser
    # Once merged, the page offers no further merge and no duplicates.
    body = admin_client.get(change_url(duplicate)).content.decode()
    assert "Merge into another request" not in body
    assert "No open request of the same or a related service" in body


def test_a_refused_merge_is_shown_as_an_error(admin_client, pair):
    duplicate, original = pair
    case_transition(case=original, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED)

    response = admin_client.post(merge_url(duplicate), {"into": original.reference})

    assert response.status_code == 200
    assert said(response) == [f"{original.reference} is closed; merge into an open request."]
    assert Case.objects.get(pk=duplicate.pk).merged_into is None


def test_an_unknown_reference_is_shown_as_an_error(admin_client, pair):
    duplicate, _original = pair

    response = admin_client.post(merge_url(duplicate), {"into": "26-999999"})

    assert said(response) == ["No request has the reference 26-999999."]
    assert Case.objects.get(pk=duplicate.pk).status == CaseStatus.NEW


def test_merging_needs_the_change_permission(client, pair):
    duplicate, original = pair
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_case"))
    client.force_login(viewer)

    assert client.get(change_url(duplicate)).status_code == 200
    assert "Merge into another request" not in client.get(change_url(duplicate)).content.decode()
    response = client.post(merge_url(duplicate), {"into": original.reference})
    assert response.status_code == 403
    assert Case.objects.get(pk=duplicate.pk).merged_into is None


def test_the_list_shows_and_filters_sla_state_and_provider(admin_client, make_case):
    crew = Provider.objects.create(code="crew-a", name="Crew A")
    case = make_case()
    Case.objects.filter(pk=case.pk).update(provider=crew, sla_state="at_risk")
    make_case()
    changelist = reverse("admin:cases_case_changelist")

    at_risk = admin_client.get(changelist, {"sla_state__exact": "at_risk"}).content.decode()
    by_provider = admin_client.get(changelist, {"provider__id__exact": crew.pk}).content.decode()

    assert "At risk" in at_risk and "Crew A" in at_risk
    assert at_risk.count('class="action-select"') == 1
    assert by_provider.count('class="action-select"') == 1
    detail = admin_client.get(change_url(case)).content.decode()
    assert "Crew A" in detail and "At risk" in detail
