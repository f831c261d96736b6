import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from civicdesk.cases.models import Case, CaseEvent
from civicdesk.catalog.models import Department, ServiceType
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_loads_a_working_jurisdiction_and_is_safe_to_run_again(client):
    output = run_demo()

    assert ServiceType.objects.filter(is_active=True).count() >= 40
    assert Department.objects.count() >= 10
    assert Area.objects.filter(kind=AreaKind.DISTRICT).count() >= 9
    assert Area.objects.filter(kind=AreaKind.JURISDICTION).count() == 1
    imported = Case.objects.filter(source="boston-open311").count()
    assert imported >= 2000
    assert "admin" in output and "civicdesk-demo" in output
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    agent = get_user_model().objects.get(username="agent")
    assert agent.groups.filter(name="Agents").exists()
    assert agent.has_perm("cases.view_case") and not agent.has_perm("catalog.change_servicetype")
    assert agent.has_perm("contacts.change_contact")  # works the triage queue
    supervisor = get_user_model().objects.get(username="supervisor")
    assert supervisor.has_perm("core.view_failedtask")
    assert set(Department.objects.values_list("supervisor__username", flat=True)) == {"supervisor"}

    agent.set_password("changed-by-the-agent")
    agent.save()
    before = (Case.objects.count(), CaseEvent.objects.count(), ServiceType.objects.count())
    run_demo()
    assert (Case.objects.count(), CaseEvent.objects.count(), ServiceType.objects.count()) == before
    agent.refresh_from_db()
    assert agent.check_password("changed-by-the-agent")

    assert client.login(username="admin", password="civicdesk-demo")
    assert client.get("/admin/cases/case/").status_code == 200
    assert client.login(username="agent", password="changed-by-the-agent")
    assert client.get("/admin/contacts/contact/triage/").status_code == 200
