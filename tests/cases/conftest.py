import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from civicdesk.cases.models import Case
from civicdesk.cases.services.opening import Location, case_open
from civicdesk.catalog.models import Department, ServiceType
from civicdesk.contacts.choices import Channel


@pytest.fixture
def department(db: None) -> Department:
    return Department.objects.create(code="pwd", name="Public Works")


@pytest.fixture
def other_department(db: None) -> Department:
    return Department.objects.create(code="parks", name="Parks and Recreation")


@pytest.fixture
def inactive_department(db: None) -> Department:
    return Department.objects.create(code="old", name="Retired Department", is_active=False)


@pytest.fixture
def service_type(department: Department) -> ServiceType:
    return ServiceType.objects.create(
        code="pothole",
        name="Pothole repair",
        group="Streets",
        default_department=department,
    )


@pytest.fixture
def agent(db: None) -> User:
    return User.objects.create_user(
        username="agent.smith", email="agent.smith@city.example", first_name="Agatha"
    )


@pytest.fixture
def make_case(service_type: ServiceType) -> Callable[..., Case]:
    def make(**overrides: Any) -> Case:
        options: dict[str, Any] = {
            "service_type": service_type,
            "location": Location(
                lat=42.3601, long=-71.0589, address="1 City Hall Sq", zipcode="02201"
            ),
            "description": "Deep pothole in the right lane.",
            "channel": Channel.WEB,
        }
        options.update(overrides)
        return case_open(**options)

    return make


@pytest.fixture
def case(make_case: Callable[..., Case]) -> Case:
    return make_case()


@pytest.fixture
def eight_hour_case(department: Department) -> Case:
    """A water leak due in 8 business hours, opened Monday 8 June 2026 at 09:00 in New York.

    No calendar anywhere: weekdays 08:00-17:00 in the jurisdiction's zone, so it is due at
    17:00 the same day.
    """
    service_type = ServiceType.objects.create(
        code="leak",
        name="Water leak",
        default_department=department,
        sla_value=8,
        sla_unit="business_hours",
    )
    return case_open(
        service_type=service_type,
        location=Location(),
        description="Water running down the street",
        channel=Channel.VOICE,
        requested_at=dt.datetime(2026, 6, 8, 9, 0, tzinfo=ZoneInfo("America/New_York")),
    )
