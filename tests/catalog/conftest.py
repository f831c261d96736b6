import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

import civicdesk

DEMO_CATALOG = Path(civicdesk.__file__).parent / "demo" / "catalog.yaml"

_MINIMAL: dict[str, Any] = {
    "format": "civicdesk-catalog/1",
    "calendars": [
        {
            "code": "office",
            "name": "Office hours",
            "timezone": "America/New_York",
            "default": True,
            "working_hours": {d: ["08:00", "17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
            "holidays": [{"date": "2025-07-04", "name": "Independence Day"}],
        }
    ],
    "departments": [
        {"code": "pw", "name": "Public Works", "email": "pw@city.example"},
        {"code": "parks", "name": "Parks"},
    ],
    "service_types": [
        {
            "code": "pothole",
            "name": "Pothole",
            "group": "Streets",
            "keywords": ["hole"],
            "department": "pw",
            "sla": {"value": 48, "unit": "business_hours"},
            "attributes": [
                {
                    "code": "size",
                    "description": "How big is it?",
                    "datatype": "singlevaluelist",
                    "required": True,
                    "values": [
                        {"key": "small", "name": "Small"},
                        {"key": "large", "name": "Large"},
                    ],
                },
                {"code": "depth", "description": "Depth in inches", "datatype": "number"},
            ],
        },
        {"code": "tree", "name": "Tree down", "department": "parks"},
    ],
    "contact_reasons": [
        {"code": "info", "name": "Information"},
        {"code": "hours", "name": "Opening hours", "parent": "info", "department": "pw"},
    ],
}


@pytest.fixture
def document() -> dict[str, Any]:
    """A small valid catalog document that each test may change freely."""
    return copy.deepcopy(_MINIMAL)


@pytest.fixture
def demo_document() -> dict[str, Any]:
    return yaml.safe_load(DEMO_CATALOG.read_text(encoding="utf-8"))
