"""Department rules: the most specific active rule sends a new request to its department, and
the case says why."""

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from civicdesk.api.services import api_token_create
from civicdesk.catalog.models import BusinessCalendar, Department, Holiday, ServiceType
from civicdesk.contacts.choices import Channel
from civicdesk.core.revisions import CATALOG, revision_get
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area
from civicdesk.geo.services import area_import_geojson
from civicdesk.intake.services import IntakeSubmission, intake_submit
from civicdesk.routing.models import RoutingRule
from civicdesk.routing.rules import (
    department_route,
    routing_rule_delete,
    routing_rule_save,
    routing_rules_cache_clear,
)

BOSTON = zoneinfo.ZoneInfo("America/New_York")
# A Wednesday inside the calendar's hours, and one in the evening.
WEDNESDAY_NOON = dt.datetime(2026, 3, 4, 12, 0, tzinfo=BOSTON)
WEDNESDAY_NIGHT = dt.datetime(2026, 3, 4, 22, 0, tzinfo=BOSTON)
# Inside the square the district below covers; Boston City Hall.
CITY_HALL = {"lat": "42.3603", "long": "-71.0580"}


def _department(code: str, name: str) -> Department:
    return Department.objects.create(code=code, name=name)


@pytest.fixture
def city(db: None) -> dict[str, Any]:
    calendar = BusinessCalendar.objects.create(
        code="city-hall",
        name="City Hall hours",
        timezone="America/New_York",
        working_hours={day: ["08:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
    )
    public_works = _department("pw", "Public Works")
    trash = ServiceType.objects.create(
        code="missed-trash",
        name="Missed trash pickup",
        default_department=public_works,
        calendar=calendar,
    )
    pothole = ServiceType.objects.create(
        code="pothole", name="Pothole", default_department=public_works, calendar=calendar
    )
    # Away from City Hall, where the intake tests file their reports.
    corners = [[-70.5, 41.5], [-70.4, 41.5], [-70.4, 41.6], [-70.5, 41.6], [-70.5, 41.5]]
    roxbury = Area.objects.create(
        kind=AreaKind.DISTRICT,
        code="roxbury",
        name="Roxbury",
        geometry={"type": "Polygon", "coordinates": [corners]},
        min_long=-70.5,
        min_lat=41.5,
        max_long=-70.4,
        max_lat=41.6,
    )
    return {
        "calendar": calendar,
        "public_works": public_works,
        "sanitation": _department("sanitation", "Sanitation"),
        "roxbury_crew": _department("roxbury-crew", "Roxbury Crew"),
        "night_crew": _department("night-crew", "Night Crew"),
        "on_call": _department("on-call", "On-call Team"),
        "trash": trash,
        "pothole": pothole,
        "roxbury": roxbury,
    }


def rule(**fields: Any) -> RoutingRule:
    return routing_rule_save(rule=RoutingRule(**fields))


def route_of(city: dict[str, Any], *, service: str = "trash", at: dt.datetime = WEDNESDAY_NOON):
    return department_route(service_type=city[service], district=city["roxbury"], at=at)


def test_without_rules_the_service_types_department_works_the_request(city):
    route = route_of(city)
    assert route.department == city["public_works"]
    assert route.rule is None
    assert route.explanation == "Routed to Public Works, the service's default department."


def test_the_most_specific_matching_rule_wins_and_the_next_takes_over(city):
    ladder = [
        rule(district=city["roxbury"], department=city["roxbury_crew"]),
        rule(service_type=city["trash"], department=city["sanitation"]),
        rule(service_type=city["trash"], district=city["roxbury"], department=city["on_call"]),
        rule(
            service_type=city["trash"],
            district=city["roxbury"],
            out_of_hours=True,
            department=city["night_crew"],
        ),
    ]
    expected_at_night = ["night-crew", "on-call", "sanitation", "roxbury-crew", "pw"]
    for step, department_code in enumerate(expected_at_night):
        assert route_of(city, at=WEDNESDAY_NIGHT).department.code == department_code
        if step < len(ladder):
            most_specific = ladder[-1 - step]
            most_specific.is_active = False
            routing_rule_save(rule=most_specific)


def test_an_out_of_hours_rule_stays_out_of_office_hours(city):
    rule(service_type=city["trash"], out_of_hours=True, department=city["night_crew"])
    assert route_of(city, at=WEDNESDAY_NOON).department.code == "pw"
    assert route_of(city, at=WEDNESDAY_NIGHT).department.code == "night-crew"


def test_a_rule_for_one_service_type_leaves_the_others_alone(city):
    rule(service_type=city["trash"], department=city["sanitation"])
    assert route_of(city, service="pothole").department.code == "pw"


def test_a_service_rule_beats_a_district_rule(city):
    rule(district=city["roxbury"], department=city["roxbury_crew"], priority=1)
    rule(service_type=city["trash"], department=city["sanitation"], priority=500)
    assert route_of(city).department.code == "sanitation"
    assert route_of(city, service="pothole").department.code == "roxbury-crew"


def test_a_district_rule_needs_the_request_in_that_district(city):
    rule(district=city["roxbury"], department=city["roxbury_crew"])
    route = department_route(service_type=city["trash"], district=None, at=WEDNESDAY_NOON)
    assert route.department.code == "pw"


@pytest.mark.parametrize(
    ("local_time", "out_of_hours"),
    [
        (dt.datetime(2026, 3, 4, 7, 59, 59), True),
        (dt.datetime(2026, 3, 4, 8, 0), False),
        (dt.datetime(2026, 3, 4, 16, 59, 59), False),
        (dt.datetime(2026, 3, 4, 17, 0), True),
        (dt.datetime(2026, 3, 7, 12, 0), True),  # Saturday
        (dt.datetime(2026, 3, 9, 12, 0), True),  # a holiday on the calendar
        (dt.datetime(2026, 3, 10, 12, 0), False),  # the Tuesday after it
    ],
)
def test_out_of_hours_follows_the_business_calendar_to_the_second(city, local_time, out_of_hours):
    Holiday.objects.create(calendar=city["calendar"], date=dt.date(2026, 3, 9), name="Test day")
    rule(service_type=city["trash"], out_of_hours=True, department=city["night_crew"])
    at = local_time.replace(tzinfo=BOSTON).astimezone(dt.UTC)
    expected = "night-crew" if out_of_hours else "pw"
    assert route_of(city, at=at).department.code == expected


def test_hours_are_read_in_the_calendars_own_time_zone(city):
    city["calendar"].timezone = "America/Los_Angeles"
    city["calendar"].save()
    rule(service_type=city["trash"], out_of_hours=True, department=city["night_crew"])
    # 18:00 in Boston is 15:00 in Los Angeles: still office hours there.
    six_pm_boston = dt.datetime(2026, 3, 4, 18, 0, tzinfo=BOSTON)
    assert route_of(city, at=six_pm_boston).department.code == "pw"
    nine_am_boston = dt.datetime(2026, 3, 4, 9, 0, tzinfo=BOSTON)
    assert route_of(city, at=nine_am_boston).department.code == "night-crew"


def test_inactive_rules_and_rules_to_inactive_departments_are_ignored(city):
    rule(service_type=city["trash"], department=city["sanitation"], is_active=False)
    closed = city["roxbury_crew"]
    closed.is_active = False
    closed.save()
    rule(district=city["roxbury"], department=closed)
    assert route_of(city).department.code == "pw"


def test_the_lowest_priority_number_wins_among_equally_specific_rules(city):
    rule(service_type=city["trash"], department=city["on_call"], priority=20)
    rule(service_type=city["trash"], department=city["sanitation"], priority=10)
    assert route_of(city).department.code == "sanitation"


def test_a_deleted_rule_stops_routing(city):
    made = rule(service_type=city["trash"], department=city["sanitation"])
    assert route_of(city).department.code == "sanitation"
    routing_rule_delete(rule=made)
    assert route_of(city).department.code == "pw"


def test_a_rule_must_narrow_something(city):
    with pytest.raises(ValidationError, match="Name a service type, a district or out of hours"):
        rule(department=city["sanitation"])
    assert not RoutingRule.objects.exists()


def test_a_rule_write_moves_the_catalog_revision(city):
    before = revision_get(CATALOG)
    rule(service_type=city["trash"], department=city["sanitation"])
    assert revision_get(CATALOG) != before


@pytest.mark.parametrize(
    ("fields", "at", "expected"),
    [
        (
            {"service_type": "trash", "district": "roxbury", "department": "sanitation"},
            WEDNESDAY_NOON,
            "Routed to Sanitation because service=Missed trash pickup and district=Roxbury.",
        ),
        (
            {"service_type": "trash", "department": "sanitation"},
            WEDNESDAY_NOON,
            "Routed to Sanitation because service=Missed trash pickup.",
        ),
        (
            {"district": "roxbury", "department": "roxbury_crew"},
            WEDNESDAY_NOON,
            "Routed to Roxbury Crew because district=Roxbury.",
        ),
        (
            {"out_of_hours": True, "department": "night_crew"},
            WEDNESDAY_NIGHT,
            "Routed to Night Crew because the request came in out of hours.",
        ),
        (
            {
                "service_type": "trash",
                "district": "roxbury",
                "out_of_hours": True,
                "department": "night_crew",
            },
            WEDNESDAY_NIGHT,
            "Routed to Night Crew because service=Missed trash pickup, district=Roxbury and "
            "the request came in out of hours.",
        ),
    ],
)
def test_the_explanation_names_what_matched(city, fields, at, expected):
    rule(
        **{name: city[value] if isinstance(value, str) else value for name, value in fields.items()}
    )
    assert route_of(city, at=at).explanation == expected


def test_the_explanation_reads_in_spanish(city):
    city["trash"].name_es = "Basura no recogida"
    city["trash"].save()
    rule(service_type=city["trash"], department=city["sanitation"])
    route = route_of(city)
    with translation.override("es"):
        assert route.explanation == ("Asignada a Sanitation porque servicio=Basura no recogida.")
        # What the case keeps is in the site's language, whoever filed the request.
        assert route.explanation_stored().startswith("Routed to Sanitation because")


# ---- through intake ----------------------------------------------------------------------------


@pytest.fixture
def boston_district(db: None) -> Area:
    square = [[-71.2, 42.2], [-71.0, 42.2], [-71.0, 42.4], [-71.2, 42.4], [-71.2, 42.2]]
    area_import_geojson(
        data={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code": "d4", "name": "District 4"},
                    "geometry": {"type": "Polygon", "coordinates": [square]},
                }
            ],
        },
        kind=AreaKind.DISTRICT,
        code_property="code",
        name_property="name",
    )
    return Area.objects.get(kind=AreaKind.DISTRICT, code="d4")


def trash_report(**overrides: Any) -> IntakeSubmission:
    fields: dict[str, Any] = {
        "channel": Channel.OPEN311,
        "service_code": "missed-trash",
        "description": "Bins still full on our street",
        "address": "1 City Hall Sq",
        **CITY_HALL,
    }
    fields.update(overrides)
    return IntakeSubmission(**fields)


def test_intake_routes_the_case_and_keeps_the_explanation(city, boston_district, client):
    rule(service_type=city["trash"], district=boston_district, department=city["sanitation"])
    case = intake_submit(submission=trash_report()).case
    assert case is not None
    case.refresh_from_db()
    assert case.district == boston_district
    assert case.department.code == "sanitation"
    assert case.routing_explanation == (
        "Routed to Sanitation because service=Missed trash pickup and district=District 4."
    )

    staff = get_user_model().objects.create_superuser("lead", "lead@city.example", "pw-1234567")
    token = api_token_create(user=staff, name="tests").secret
    detail = client.get(
        f"/api/v1/cases/{case.reference}", headers={"Authorization": f"Bearer {token}"}
    )
    assert detail.status_code == 200
    assert detail.json()["routing_explanation"] == case.routing_explanation
    assert detail.json()["department"]["code"] == "sanitation"

    client.force_login(staff)
    page = client.get(f"/admin/cases/case/{case.pk}/change/")
    assert b"because service=Missed trash pickup and district=District 4" in page.content


def test_a_case_without_a_district_gets_the_default_and_says_so(city):
    rule(district=city["roxbury"], department=city["roxbury_crew"])
    case = intake_submit(submission=trash_report(lat=None, long=None)).case
    assert case is not None
    assert case.department.code == "pw"
    assert case.routing_explanation == "Routed to Public Works, the service's default department."


def test_a_spanish_request_keeps_the_explanation_in_the_sites_language(city):
    rule(service_type=city["trash"], department=city["sanitation"])
    with translation.override("es"):
        case = intake_submit(submission=trash_report(language="es")).case
    assert case is not None
    assert case.routing_explanation == "Routed to Sanitation because service=Missed trash pickup."


@pytest.mark.django_db(transaction=True)
def test_intake_reads_no_rules_and_no_revision_when_none_changed(
    settings, django_assert_num_queries
):
    settings.CIVICDESK_CATALOG_CACHE_CHECK_SECONDS = 60
    routing_rules_cache_clear()
    department = _department("pw", "Public Works")
    ServiceType.objects.create(
        code="missed-trash", name="Missed trash pickup", default_department=department
    )
    first = intake_submit(submission=trash_report(description="First report"))
    assert first.case is not None

    with CaptureQueriesContext(connection) as queries:
        second = intake_submit(submission=trash_report(description="Second report"))
    assert second.case is not None and second.case.department == department
    statements = [query["sql"].lower() for query in queries.captured_queries]
    assert not [sql for sql in statements if "routing_routingrule" in sql]
    assert not [sql for sql in statements if "select" in sql and "core_datarevision" in sql]
    assert not [sql for sql in statements if "catalog_businesscalendar" in sql]
    # The same request again costs exactly what the second did: routing added nothing.
    with django_assert_num_queries(len(statements)):
        intake_submit(submission=trash_report(description="Third report"))


def test_staff_add_and_list_rules_in_the_admin(city, client):
    staff = get_user_model().objects.create_superuser("lead", "lead@city.example", "pw-1234567")
    client.force_login(staff)
    before = revision_get(CATALOG)
    response = client.post(
        "/admin/routing/routingrule/add/",
        {
            "service_type": city["trash"].pk,
            "district": city["roxbury"].pk,
            "department": city["sanitation"].pk,
            "priority": 100,
            "is_active": "on",
            "note": "Roxbury trash is run by Sanitation",
        },
    )
    assert response.status_code == 302
    assert revision_get(CATALOG) != before
    assert route_of(city).department.code == "sanitation"

    listing = client.get(
        "/admin/routing/routingrule/", {"department__id__exact": city["sanitation"].pk}
    )
    assert b"Roxbury trash is run by Sanitation" in listing.content
    other = client.get("/admin/routing/routingrule/", {"department__id__exact": city["on_call"].pk})
    assert b"Roxbury trash is run by Sanitation" not in other.content
    assert b"By only out of hours" in listing.content  # the filters are there

    refused = client.post(
        "/admin/routing/routingrule/add/",
        {"department": city["sanitation"].pk, "priority": 100, "is_active": "on"},
    )
    assert refused.status_code == 200
    assert b"Name a service type, a district or out of hours" in refused.content
    assert RoutingRule.objects.count() == 1
