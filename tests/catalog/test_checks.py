"""`civicdesk check` names services without an SLA target or a calendar to count it on."""

import os
import subprocess
import sys

import pytest
from django.core.checks import Warning as CheckWarning

from civicdesk.catalog.checks import NO_CALENDAR, NO_SLA_TARGET, sla_configuration_check
from civicdesk.catalog.models import BusinessCalendar, Department, ServiceType
from civicdesk.catalog.services import catalog_import


def warnings_by_id() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in sla_configuration_check(app_configs=None):
        assert isinstance(message, CheckWarning)
        found.setdefault(str(message.id), []).append(message.msg)
    return found


@pytest.fixture
def department(db):
    return Department.objects.create(code="pw", name="Public Works")


def service(department, code, **fields):
    return ServiceType.objects.create(
        code=code, name=code.title(), default_department=department, **fields
    )


def test_services_without_a_target_are_named_but_blackbox_and_inactive_ones_are_not(department):
    service(department, "pothole", sla_value=2, sla_unit="calendar_days")
    service(department, "graffiti")
    service(department, "tip-line", kind="blackbox")
    service(department, "retired", is_active=False)

    found = warnings_by_id()

    assert found == {
        NO_SLA_TARGET: ["Service type 'graffiti' (Graffiti) is active but has no SLA target."]
    }


def test_business_hours_without_any_calendar_are_named_until_a_default_exists(department):
    service(department, "leak", sla_value=8, sla_unit="business_hours")
    service(department, "sign", sla_value=3, sla_unit="calendar_days")

    before = warnings_by_id()
    BusinessCalendar.objects.create(code="office", name="Office", is_default=True)
    after = warnings_by_id()

    assert list(before) == [NO_CALENDAR]
    assert "'leak'" in before[NO_CALENDAR][0]
    assert len(before[NO_CALENDAR]) == 1
    assert after == {}


def test_a_department_calendar_counts_for_its_services(department):
    service(department, "leak", sla_value=8, sla_unit="business_hours")
    assert list(warnings_by_id()) == [NO_CALENDAR]

    department.calendar = BusinessCalendar.objects.create(code="pw-hours", name="Public Works")
    department.save()

    assert warnings_by_id() == {}


def test_the_demo_catalog_raises_no_warning(db, demo_document):
    catalog_import(data=demo_document)

    assert warnings_by_id() == {}


def test_check_passes_on_a_fresh_unmigrated_database(tmp_path):
    env = {
        **os.environ,
        "CIVICDESK_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "civicdesk.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)

    completed = subprocess.run(
        [sys.executable, "-m", "civicdesk", "check", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert "no issues" in completed.stdout
