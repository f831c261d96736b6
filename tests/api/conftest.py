from collections.abc import Callable

import pytest
import yaml
from django.contrib.auth.models import User
from django.test import Client

from civicdesk.api.services import api_token_create
from civicdesk.cases.models import Case
from civicdesk.catalog.services import catalog_import
from civicdesk.contacts.choices import Channel
from civicdesk.core.demo import DEMO_DIR, demo_staff_ensure
from civicdesk.intake.services import IntakeSubmission, intake_submit

ROLES = ("agent", "supervisor", "dpw")


@pytest.fixture
def catalog(db):
    catalog_import(data=yaml.safe_load((DEMO_DIR / "catalog.yaml").read_text()))


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
def client() -> Client:
    return Client()


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
