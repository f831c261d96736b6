import copy
import functools
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User

from civicdesk.api.services import api_token_create
from civicdesk.cases.models import Case
from civicdesk.catalog.services import catalog_import
from civicdesk.contacts.choices import Channel
from civicdesk.core.demo import DEMO_DIR, demo_staff_ensure
from civicdesk.intake.services import IntakeSubmission, intake_submit

ROLES = ("agent", "supervisor", "dpw")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The demo accounts get real passwords; PBKDF2 would spend seconds per test hashing them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The demo service types the tests use; importing all of them costs ~2 s per test.
TEST_SERVICE_TYPES = {"pothole", "graffiti-removal", "missed-trash", "street-light-out"}


@functools.cache
def _demo_catalog_parsed() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEMO_DIR / "catalog.yaml").read_text())
    return data


def demo_catalog(*, full: bool = False) -> dict[str, Any]:
    """The demo catalog document, or its departments and reasons with a few service types."""
    data = copy.deepcopy(_demo_catalog_parsed())
    if not full:
        data["service_types"] = [
            item for item in data["service_types"] if item["code"] in TEST_SERVICE_TYPES
        ]
        data["contact_reasons"] = [
            item
            for item in data["contact_reasons"]
            if item.get("service_type") in (None, *TEST_SERVICE_TYPES)
        ]
    return data


@pytest.fixture
def catalog(db):
    catalog_import(data=demo_catalog())


@pytest.fixture
def full_catalog(db):
    catalog_import(data=demo_catalog(full=True))


@pytest.fixture
def staff(db) -> dict[str, User]:
    """The demo accounts: agent (Agents), supervisor (Supervisors), dpw (Department staff)."""
    demo_staff_ensure()
    users = {user.username: user for user in User.objects.filter(username__in=ROLES)}
    users["nobody"] = User.objects.create_user("nobody", is_staff=True)
    return users


@pytest.fixture
def auth(staff) -> dict[str, dict[str, str]]:
    """Request headers with a fresh bearer token per role; `anonymous` sends none."""
    headers = {
        role: {"Authorization": f"Bearer {api_token_create(user=user, name='tests').secret}"}
        for role, user in staff.items()
    }
    headers["anonymous"] = {}
    return headers


@pytest.fixture
def make_case(catalog) -> Callable[..., Case]:
    def make(**overrides: object) -> Case:
        fields: dict[str, object] = {
            "channel": Channel.AGENT,
            "service_code": "pothole",
            "description": "Deep pothole by the bus stop",
            "address": "1 City Hall Square",
            "email": "ana.resident@example.com",
            "phone": "617-555-0199",
            "first_name": "Ana",
            "last_name": "Resident",
        }
        fields.update(overrides)
        result = intake_submit(submission=IntakeSubmission(**fields))  # type: ignore[arg-type]
        assert result.case is not None
        return result.case

    return make
