"""The committed Boston demo file loads and answers well-known places correctly."""

import json
from importlib import resources

import pytest

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.selectors import area_containing, point_in_jurisdiction
from civicdesk.geo.services import area_dissolve_jurisdiction, area_import_geojson

pytestmark = pytest.mark.django_db


@pytest.fixture
def boston():
    path = resources.files("civicdesk.demo") / "boundaries" / "boston-neighborhoods.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    summary = area_import_geojson(data=data, kind=AreaKind.NEIGHBOURHOOD)
    area_dissolve_jurisdiction(
        from_kind=AreaKind.NEIGHBOURHOOD, code="boston", name="City of Boston"
    )
    return summary


def test_demo_file_imports_cleanly(boston):
    assert boston.total == 32
    assert boston.repairs == []
    assert (boston.code_property, boston.name_property) == ("code", "name")


@pytest.mark.parametrize(
    ("lat", "long", "code"),
    [
        (42.3603, -71.0580, "downtown-government-center"),  # City Hall
        (42.3001, -71.0617, "dorchester"),  # Fields Corner
        (42.3097, -71.1151, "jamaica-plain"),  # Centre Street
        (42.3751, -71.0395, "east-boston"),  # Maverick Square area
        (42.2557, -71.1241, "hyde-park"),  # Cleary Square
    ],
)
def test_well_known_points(boston, lat, long, code):
    area = area_containing(lat=lat, long=long, kind=AreaKind.NEIGHBOURHOOD)
    assert area is not None
    assert area.code == code
    assert point_in_jurisdiction(lat=lat, long=long)


@pytest.mark.parametrize(
    ("lat", "long"),
    [
        (42.3736, -71.1190),  # Harvard Square, Cambridge
        (42.3326, -71.1167),  # Brookline Village
        (42.3300, -70.9600),  # open water in the harbour
        (40.7128, -74.0060),  # New York
    ],
)
def test_points_outside_boston(boston, lat, long):
    assert area_containing(lat=lat, long=long, kind=AreaKind.NEIGHBOURHOOD) is None
    assert point_in_jurisdiction(lat=lat, long=long) is False
