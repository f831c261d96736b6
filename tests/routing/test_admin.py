"""Staff read each version's figures in the admin and switch versions from there."""

import pytest
from django.contrib.auth import get_user_model

from civicdesk.routing.models import ClassifierVersion


@pytest.fixture
def staff_client(client, db):
    admin = get_user_model().objects.create_superuser("boss", "boss@city.example", "pw-12345678")
    client.force_login(admin)
    return client


@pytest.mark.django_db
def test_the_version_list_and_page_show_the_figures(staff_client, train_version):
    version = train_version()
    listing = staff_client.get("/admin/routing/classifierversion/")
    assert listing.status_code == 200
    assert b"1.0" in listing.content  # macro-F1 of the synthetic model

    page = staff_client.get(f"/admin/routing/classifierversion/{version.pk}/change/")
    assert page.status_code == 200
    assert b"keyword" in page.content and b"majority" in page.content
    assert b'name="_save"' not in page.content
    assert b"/delete/" not in page.content  # the active version cannot be deleted


@pytest.mark.django_db
def test_the_activate_action_switches_the_active_version(staff_client, train_version):
    first = train_version()
    train_version()
    response = staff_client.post(
        "/admin/routing/classifierversion/",
        {"action": "activate", "_selected_action": [first.pk]},
        follow=True,
    )
    assert b"Classifier version 1 is active." in response.content
    assert ClassifierVersion.objects.get(is_active=True).number == 1

    staff_client.post(
        "/admin/routing/classifierversion/",
        {"action": "deactivate", "_selected_action": [first.pk]},
    )
    assert not ClassifierVersion.objects.filter(is_active=True).exists()
