"""The catalog admin edits providers and each department's supervisor."""

import pytest
from django.contrib.auth.models import User

from civicdesk.catalog.models import Department, Provider

pytestmark = pytest.mark.django_db


def test_department_supervisor_is_set_in_the_admin(admin_client):
    department = Department.objects.create(code="pw", name="Public Works")
    boss = User.objects.create_user(username="maria.boss")

    page = admin_client.get(f"/admin/catalog/department/{department.pk}/change/")
    response = admin_client.post(
        f"/admin/catalog/department/{department.pk}/change/",
        {"code": "pw", "name": "Public Works", "is_active": "on", "supervisor": boss.pk},
    )

    assert page.status_code == 200
    assert 'name="supervisor"' in page.content.decode()
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.supervisor == boss
    listing = admin_client.get("/admin/catalog/department/").content.decode()
    assert "maria.boss" in listing


def test_providers_are_listed_and_added_in_the_admin(admin_client):
    department = Department.objects.create(code="pw", name="Public Works")

    response = admin_client.post(
        "/admin/catalog/provider/add/",
        {"code": "acme", "name": "Acme Paving", "department": department.pk, "is_active": "on"},
    )
    listing = admin_client.get("/admin/catalog/provider/").content.decode()

    assert response.status_code == 302
    assert Provider.objects.get(code="acme").department == department
    assert "Acme Paving" in listing
