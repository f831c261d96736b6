from collections.abc import Callable
from typing import Any

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
