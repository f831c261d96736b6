from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from civicdesk.cases.choices import NoteVisibility
from civicdesk.cases.models import Case
from civicdesk.cases.services.opening import Location, case_open
from civicdesk.cases.services.workflow import case_assign, case_note_add
from civicdesk.catalog.models import Department, ServiceType
from civicdesk.contacts.choices import Channel
from civicdesk.contacts.services import contact_record
from civicdesk.people.choices import ContactPointKind
from civicdesk.people.models import ContactPoint, Resident

from .pages import (
    AGENT_NAME,
    INTERNAL_NOTE,
    RESIDENT_EMAIL,
    RESIDENT_FIRST,
    RESIDENT_LAST,
    RESIDENT_PHONE,
)


@pytest.fixture(autouse=True)
def _report_drafts_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.CIVICDESK_REPORT_DRAFT_DIR = tmp_path / "drafts"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Request counts for the top tasks are cached; tests roll back the rows they came from.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def department(db: None) -> Department:
    return Department.objects.create(code="pw", name="Public Works")


@pytest.fixture
def make_service(department: Department) -> Callable[..., ServiceType]:
    def make(code: str, name: str, **fields: Any) -> ServiceType:
        return ServiceType.objects.create(
            code=code, name=name, default_department=department, **fields
        )

    return make


@pytest.fixture
def pothole(make_service: Callable[..., ServiceType]) -> ServiceType:
    return make_service(
        "pothole",
        "Pothole",
        description="A hole in the street.",
        group="Streets & Sidewalks",
        keywords=["hole", "road"],
        name_es="Bache",
        description_es="Un hoyo en la calle.",
        group_es="Calles y aceras",
        keywords_es=["hoyo", "calle"],
        sla_value=48,
        sla_unit="business_hours",
    )


@pytest.fixture
def make_case(pothole: ServiceType) -> Callable[..., Case]:
    def make(**overrides: Any) -> Case:
        options: dict[str, Any] = {
            "service_type": pothole,
            "location": Location(lat=42.36, long=-71.06, address="1 City Hall Sq"),
            "description": "Deep pothole in the right lane.",
            "channel": Channel.WEB,
        }
        options.update(overrides)
        return case_open(**options)

    return make


@pytest.fixture
def personal_case(make_case: Callable[..., Case], department: Department) -> Case:
    """A case with everything that must stay private: a resident, an assignee, a note."""
    resident = Resident.objects.create(first_name=RESIDENT_FIRST, last_name=RESIDENT_LAST)
    ContactPoint.objects.create(
        resident=resident, kind=ContactPointKind.EMAIL, value=RESIDENT_EMAIL
    )
    ContactPoint.objects.create(
        resident=resident, kind=ContactPointKind.PHONE, value=RESIDENT_PHONE
    )
    agent = User.objects.create_user(username="agent7", first_name=AGENT_NAME)
    case = make_case(resident=resident)
    case_assign(case=case, department=department, assignee=agent, actor=agent)
    case_note_add(case=case, body=INTERNAL_NOTE, visibility=NoteVisibility.INTERNAL)
    case_note_add(case=case, body="Crew scheduled for Tuesday.", visibility=NoteVisibility.PUBLIC)
    case.refresh_from_db()
    return case


@pytest.fixture
def record_contacts() -> Callable[..., None]:
    """Record `count` contacts about a service type, `days_ago` days back."""

    def record(service_type: ServiceType, count: int, *, days_ago: float = 1) -> None:
        started_at = timezone.now() - timedelta(days=days_ago)
        for _ in range(count):
            contact_record(channel=Channel.VOICE, service_type=service_type, started_at=started_at)

    return record
