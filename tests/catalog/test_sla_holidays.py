"""Holidays from the `holidays` library, and the catalog document's providers and supervisors."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from civicdesk.catalog.models import BusinessCalendar, Department, Holiday, Provider, ServiceType
from civicdesk.catalog.services import CatalogImportError, catalog_export, catalog_import
from civicdesk.catalog.sla import sla_due_at

pytestmark = pytest.mark.django_db

EDT = dt.timezone(dt.timedelta(hours=-4), "EDT")  # New York in April


def test_command_fills_massachusetts_holidays_once(document, capsys):
    catalog_import(data=document)
    args = ["calendar", "holidays", "--calendar", "office", "--country", "US", "--subdiv", "MA"]

    call_command(*args, "--years", "2026", "2027")
    first = capsys.readouterr().out
    call_command(*args, "--years", "2026", "2027")
    second = capsys.readouterr().out

    dates = set(Holiday.objects.filter(calendar__code="office").values_list("date", flat=True))
    assert dt.date(2026, 4, 20) in dates  # Patriots' Day, Massachusetts only
    assert dt.date(2027, 7, 5) in dates  # Independence Day on a Sunday, observed Monday
    assert dt.date(2025, 7, 4) in dates  # the document's own holiday stays
    assert "25 created" in first
    assert "0 created, 0 renamed, 25 unchanged" in second
    assert Holiday.objects.filter(calendar__code="office").count() == 26


def test_filled_holidays_stop_the_clock_at_once(document):
    catalog_import(data=document)
    pothole = ServiceType.objects.get(code="pothole")
    pothole.sla_value = 2
    friday = dt.datetime(2026, 4, 17, 16, 0, tzinfo=EDT)
    assert sla_due_at(service_type=pothole, opened_at=friday) == dt.datetime(
        2026, 4, 20, 9, 0, tzinfo=EDT
    )

    call_command(
        "calendar",
        "holidays",
        "--calendar",
        "office",
        "--country",
        "US",
        "--subdiv",
        "MA",
        "--years",
        "2026",
    )

    # Patriots' Day (Monday 20 April) no longer counts.
    assert sla_due_at(service_type=pothole, opened_at=friday) == dt.datetime(
        2026, 4, 21, 9, 0, tzinfo=EDT
    )


def test_command_names_unknown_calendars_and_regions(document):
    catalog_import(data=document)

    with pytest.raises(CommandError, match="No calendar 'nope'; calendars: office"):
        call_command("calendar", "holidays", "--calendar", "nope", "--country", "US")
    with pytest.raises(CommandError, match="ZZ"):
        call_command(
            "calendar", "holidays", "--calendar", "office", "--country", "US", "--subdiv", "ZZ"
        )


def test_document_takes_holidays_from_the_library_and_hand_listed_days_win(document):
    document["calendars"][0]["holidays_from"] = {"country": "US", "subdiv": "MA", "years": [2026]}
    document["calendars"][0]["holidays"].append({"date": "2026-07-04", "name": "Fourth of July"})

    catalog_import(data=document)
    again = catalog_import(data=document)

    names = dict(Holiday.objects.filter(calendar__code="office").values_list("date", "name"))
    assert names[dt.date(2026, 4, 20)] == "Patriots' Day"
    assert names[dt.date(2026, 7, 4)] == "Fourth of July"
    assert names[dt.date(2025, 7, 4)] == "Independence Day"
    assert len(names) == 13
    assert again.counts["holidays"]["unchanged"] == 13


def test_document_refuses_an_unknown_holiday_source(document):
    document["calendars"][0]["holidays_from"] = {"country": "XX", "years": ["soon"]}

    with pytest.raises(CatalogImportError) as error:
        catalog_import(data=document)

    assert any("calendars[0].holidays_from.years" in m for m in error.value.messages)


def test_providers_and_supervisors_round_trip_through_the_document(document):
    boss = User.objects.create_user(username="maria.boss")
    document["departments"][0]["supervisor"] = "maria.boss"
    document["providers"] = [
        {"code": "acme", "name": "Acme Paving", "department": "pw"},
        {"code": "crew-7", "name": "Crew 7"},
    ]

    catalog_import(data=document)
    exported = catalog_export()
    again = catalog_import(data=exported)

    assert Department.objects.get(code="pw").supervisor == boss
    assert Department.objects.get(code="parks").supervisor is None
    acme = Provider.objects.get(code="acme")
    assert (acme.name, acme.department.code, acme.is_active) == ("Acme Paving", "pw", True)
    assert [d["supervisor"] for d in exported["departments"]] == [None, "maria.boss"]
    assert [p["code"] for p in exported["providers"]] == ["acme", "crew-7"]
    assert again.counts["providers"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "deleted": 0,
        "deactivated": 0,
    }
    assert again.counts["departments"]["unchanged"] == 2


def test_a_department_calendar_round_trips_and_an_unknown_one_is_named(document):
    document["departments"][0]["calendar"] = "office"

    catalog_import(data=document)
    exported = catalog_export()
    again = catalog_import(data=exported)

    assert Department.objects.get(code="pw").calendar.code == "office"
    assert Department.objects.get(code="parks").calendar is None
    assert again.counts["departments"]["unchanged"] == 2

    exported["departments"][1]["calendar"] = "night-shift"
    with pytest.raises(CatalogImportError) as error:
        catalog_import(data=exported)
    assert error.value.messages == [
        "departments[1].calendar: no calendar with code 'night-shift' in the file or the catalog"
    ]


def test_unknown_supervisor_and_provider_department_are_named(document):
    document["departments"][1]["supervisor"] = "nobody"
    document["providers"] = [{"code": "acme", "name": "Acme", "department": "roads"}]

    with pytest.raises(CatalogImportError) as error:
        catalog_import(data=document)

    assert error.value.messages == [
        "providers[0].department: no department with code 'roads' in the file or the catalog",
        "departments[1].supervisor: no user is called 'nobody'; create the account first",
    ]
    assert not BusinessCalendar.objects.exists()
