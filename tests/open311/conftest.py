"""Fixtures for the Open311 tests: the demo catalog and cases made the way real ones are."""

import copy
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

import civicdesk
from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.models import Case
from civicdesk.cases.services.opening import HistoricalRecord, Location, case_import
from civicdesk.catalog.models import ServiceType
from civicdesk.catalog.services import catalog_import
from civicdesk.contacts.choices import Channel
from civicdesk.intake.services import IntakeSubmission, intake_submit
from civicdesk.open311.jurisdictions import jurisdictions_served

DEMO_CATALOG = Path(civicdesk.__file__).parent / "demo" / "catalog.yaml"
CITY_HALL = (42.3601, -71.0589)


@cache
def _demo_catalog_document() -> dict[str, Any]:
    # Parsing the YAML costs more than importing it; parse once per test run.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document: dict[str, Any] = yaml.load(DEMO_CATALOG.read_text(encoding="utf-8"), loader)  # noqa: S506 (a safe loader)
    return document


@pytest.fixture
def demo_catalog(db: None) -> None:
    """The demo jurisdiction's catalog (departments, services with attributes, calendars)."""
    catalog_import(data=copy.deepcopy(_demo_catalog_document()))


@pytest.fixture
def make_case(demo_catalog: None) -> Callable[..., Case]:
    """Open a case through intake, as the Open311 POST would; keyword overrides go to
    IntakeSubmission (e.g. service_code, lat, long, description, attributes, email)."""

    def make(**overrides: Any) -> Case:
        fields: dict[str, Any] = {
            "channel": Channel.OPEN311,
            "service_code": "pothole",
            "lat": CITY_HALL[0],
            "long": CITY_HALL[1],
            "description": "Deep pothole in the right lane.",
            "attributes": {"size": "large", "lane": "travel-lane"},
        }
        fields.update(overrides)
        case = intake_submit(submission=IntakeSubmission(**fields)).case
        assert case is not None
        return case

    return make


@pytest.fixture
def make_historical_case(demo_catalog: None) -> Callable[..., Case]:
    """Import a case requested at a given time (`requested_at`), open unless `status` says."""
    counter = iter(range(1, 1_000_000))

    def make(
        *,
        requested_at: datetime,
        service_code: str = "pothole",
        status: CaseStatus = CaseStatus.OPEN,
        description: str = "Imported pothole report.",
        lat: float | None = CITY_HALL[0],
        long: float | None = CITY_HALL[1],
        address: str = "",
        **overrides: Any,
    ) -> Case:
        record = HistoricalRecord(
            source="open311-tests",
            external_id=f"t-{next(counter)}",
            service_type=ServiceType.objects.get(code=service_code),
            location=Location(lat=lat, long=long, address=address),
            description=description,
            requested_at=requested_at,
            status=status,
            **overrides,
        )
        case, _created = case_import(record=record)
        return case

    return make


@pytest.fixture
def jurisdictions_checked(db: None) -> None:
    """The served jurisdictions checked in this test's transaction, as a query budget assumes.

    The first Open311 call of a transaction reads them once; a running server reads them every
    few seconds, never per request.
    """
    jurisdictions_served()
