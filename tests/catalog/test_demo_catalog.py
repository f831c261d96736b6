import datetime as dt

import pytest

from civicdesk.catalog.choices import AttributeDatatype
from civicdesk.catalog.models import (
    BusinessCalendar,
    ContactReason,
    Department,
    ServiceAttribute,
    ServiceType,
)
from civicdesk.catalog.services import catalog_import

pytestmark = pytest.mark.django_db

DEPARTMENTS = {
    "public-works",
    "transportation",
    "sanitation",
    "parks",
    "inspectional-services",
    "police-nonemergency",
    "water-sewer",
    "public-health",
    "animal-care",
    "constituent-services",
}
SERVICE_CODES = [
    "pothole",
    "sidewalk-repair",
    "street-light-out",
    "graffiti-removal",
    "sidewalk-not-shoveled",
    "snow-plowing",
    "street-cleaning",
    "curb-repair",
    "illegal-parking",
    "abandoned-vehicle",
    "blocked-driveway",
    "traffic-signal",
    "street-sign",
    "parking-meter",
    "missed-trash",
    "missed-recycling",
    "bulk-item-pickup",
    "illegal-dumping",
    "overflowing-litter-basket",
    "dirty-conditions",
    "tree-damaged",
    "tree-planting-request",
    "tree-overgrown",
    "park-maintenance",
    "heat-hot-water",
    "unsanitary-condition",
    "building-plumbing",
    "building-structural",
    "elevator",
    "illegal-construction",
    "rodent",
    "noise-residential",
    "noise-commercial",
    "noise-street",
    "noise-vehicle",
    "sewer-backup",
    "water-leak",
    "hydrant",
    "food-establishment",
    "air-quality",
    "lead-hazard",
    "animal-abuse",
    "dead-animal",
    "loose-dog",
    "general-request",
    "homeless-assistance",
    "consumer-complaint",
]


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th given weekday of a month; n = -1 for the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def observed(day: dt.date) -> dt.date:
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


def expected_holidays(year: int) -> set[dt.date]:
    mon, thu = 0, 3
    return {
        observed(dt.date(year, 1, 1)),
        nth_weekday(year, 1, mon, 3),  # Martin Luther King Jr. Day
        nth_weekday(year, 2, mon, 3),  # Washington's Birthday
        observed(dt.date(year, 3, 17)),  # Evacuation Day (Suffolk County)
        nth_weekday(year, 4, mon, 3),  # Patriots' Day
        nth_weekday(year, 5, mon, -1),  # Memorial Day
        observed(dt.date(year, 6, 19)),
        observed(dt.date(year, 7, 4)),
        nth_weekday(year, 9, mon, 1),  # Labor Day
        nth_weekday(year, 10, mon, 2),  # Indigenous Peoples' / Columbus Day
        observed(dt.date(year, 11, 11)),
        nth_weekday(year, 11, thu, 4),  # Thanksgiving
        observed(dt.date(year, 12, 25)),
    }


@pytest.fixture
def demo(demo_document):
    return catalog_import(data=demo_document)


def test_demo_catalog_loads_with_every_expected_code(demo):
    assert set(Department.objects.values_list("code", flat=True)) == DEPARTMENTS
    codes = set(ServiceType.objects.values_list("code", flat=True))
    assert len(SERVICE_CODES) == 47
    assert set(SERVICE_CODES) <= codes
    assert len(codes) >= 40
    assert demo.counts["service_types"]["created"] == len(codes)


def test_demo_catalog_uses_all_six_datatypes_and_some_required_answers(demo):
    datatypes = set(ServiceAttribute.objects.values_list("datatype", flat=True))
    assert datatypes == set(AttributeDatatype.values)
    assert ServiceAttribute.objects.filter(required=True).exists()
    assert ServiceAttribute.objects.filter(variable=False).exists()


def test_every_demo_service_is_described_routed_and_grouped(demo):
    for service_type in ServiceType.objects.select_related("default_department"):
        assert service_type.description, service_type.code
        assert service_type.group, service_type.code
        assert service_type.keywords, service_type.code
        assert service_type.attributes.filter(required=True).count() <= 3, service_type.code
    assert ServiceType.objects.get(code="bulk-item-pickup").kind == "batch"
    assert ServiceType.objects.get(code="pothole").default_department.code == "public-works"
    assert ServiceType.objects.filter(
        code="heat-hot-water", calendar__code="around-the-clock"
    ).exists()


def test_heat_complaint_asks_whole_building_and_since_when(demo):
    heat = ServiceType.objects.get(code="heat-hot-water")
    whole = heat.attributes.get(code="whole-building")
    since = heat.attributes.get(code="since")
    assert (whole.datatype, whole.required) == ("singlevaluelist", True)
    assert (since.datatype, since.required) == ("datetime", True)


def test_demo_calendars_have_the_real_2025_and_2026_holidays(demo):
    city_hall = BusinessCalendar.objects.get(code="city-hall")
    assert city_hall.is_default
    assert city_hall.timezone == "America/New_York"
    assert city_hall.working_hours["mon"] == ["08:00", "17:00"]
    assert "sat" not in city_hall.working_hours
    dates = set(city_hall.holidays.values_list("date", flat=True))
    assert dates == expected_holidays(2025) | expected_holidays(2026)
    assert dt.date(2025, 4, 21) in dates  # Patriots' Day 2025
    assert dt.date(2026, 7, 3) in dates  # Independence Day 2026 falls on a Saturday
    always = BusinessCalendar.objects.get(code="around-the-clock")
    assert always.working_hours["sun"] == ["00:00", "24:00"]


def test_demo_contact_reasons_form_a_two_level_tree(demo):
    reasons = ContactReason.objects.select_related("parent")
    assert reasons.count() >= 25
    for reason in reasons:
        assert reason.parent is None or reason.parent.parent is None, reason.code
    assert ContactReason.objects.filter(parent=None).count() >= 5
    assert ContactReason.objects.filter(service_type__isnull=False).count() >= 3
    assert ContactReason.objects.filter(code="emergency-911").exists()
