import datetime as dt

import pytest
from django.utils import timezone

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


def massachusetts_holidays(year: int) -> set[dt.date]:
    """Massachusetts law: a holiday on a Sunday is also observed on the Monday; one on a
    Saturday is not moved."""
    mon, thu = 0, 3
    fixed = {dt.date(year, m, d) for m, d in ((1, 1), (6, 19), (7, 4), (11, 11), (12, 25))}
    moving = {
        nth_weekday(year, 1, mon, 3),  # Martin Luther King Jr. Day
        nth_weekday(year, 2, mon, 3),  # Washington's Birthday
        nth_weekday(year, 4, mon, 3),  # Patriots' Day
        nth_weekday(year, 5, mon, -1),  # Memorial Day
        nth_weekday(year, 9, mon, 1),  # Labor Day
        nth_weekday(year, 10, mon, 2),  # Indigenous Peoples' / Columbus Day
        nth_weekday(year, 11, thu, 4),  # Thanksgiving
    }
    sundays = {day + dt.timedelta(days=1) for day in fixed if day.weekday() == 6}
    return fixed | moving | sundays


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


def test_demo_city_hall_has_this_and_next_years_massachusetts_holidays(demo):
    city_hall = BusinessCalendar.objects.get(code="city-hall")
    assert city_hall.is_default
    assert city_hall.timezone == "America/New_York"
    assert city_hall.working_hours["mon"] == ["08:00", "17:00"]
    assert "sat" not in city_hall.working_hours
    dates = set(city_hall.holidays.values_list("date", flat=True))
    year = timezone.localdate().year
    by_hand = {dt.date(2026, 3, 17), dt.date(2027, 3, 17)}  # Evacuation Day (Suffolk County)
    assert dates - by_hand == massachusetts_holidays(year) | massachusetts_holidays(year + 1)
    assert by_hand <= dates
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
