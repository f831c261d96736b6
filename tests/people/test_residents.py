import logging

import pytest
from django.core.exceptions import ValidationError

from civicdesk.people.choices import ContactPointKind
from civicdesk.people.models import ContactPoint, Resident
from civicdesk.people.services import resident_from_contact_details, resident_set_consent
from tests.races import at_once

pytestmark = pytest.mark.django_db


def test_all_blank_is_anonymous():
    assert resident_from_contact_details() is None
    assert resident_from_contact_details(email="  ", phone=" ", first_name=" ") is None
    assert Resident.objects.count() == 0


def test_new_resident_with_both_contact_points():
    resident = resident_from_contact_details(
        email=" Ana@Example.com",
        phone="(617) 635-4500",
        first_name=" Ana ",
        last_name="Silva",
        language="es",
        consent_updates=False,
    )
    assert resident is not None
    assert (resident.first_name, resident.last_name, resident.preferred_language) == (
        "Ana",
        "Silva",
        "es",
    )
    points = {p.kind: p for p in resident.contact_points.all()}
    assert points[ContactPointKind.EMAIL].value == "ana@example.com"
    assert points[ContactPointKind.PHONE].value == "+16176354500"
    assert not points[ContactPointKind.EMAIL].consent_updates


def test_known_email_finds_the_same_resident_and_attaches_a_new_phone():
    first = resident_from_contact_details(email="ana@example.com")
    again = resident_from_contact_details(email="ANA@example.com", phone="617.635.4500")
    assert again.pk == first.pk
    assert Resident.objects.count() == 1
    assert set(again.contact_points.values_list("value", flat=True)) == {
        "ana@example.com",
        "+16176354500",
    }


def test_known_phone_finds_the_resident_when_the_email_is_new():
    first = resident_from_contact_details(phone="+1 617 635 4500")
    again = resident_from_contact_details(email="new@example.com", phone="617-635-4500")
    assert again.pk == first.pk
    assert again.contact_points.count() == 2


def test_email_wins_over_phone_and_a_phone_is_never_moved():
    by_email = resident_from_contact_details(email="ana@example.com")
    by_phone = resident_from_contact_details(phone="617-635-4500")
    found = resident_from_contact_details(email="ana@example.com", phone="617-635-4500")
    assert found.pk == by_email.pk
    assert ContactPoint.objects.get(kind=ContactPointKind.PHONE).resident_id == by_phone.pk


def test_blank_names_are_filled_but_a_different_name_is_kept(caplog):
    resident = resident_from_contact_details(email="ana@example.com", first_name="Ana")
    resident = resident_from_contact_details(email="ana@example.com", last_name="Silva")
    resident.refresh_from_db()
    assert (resident.first_name, resident.last_name) == ("Ana", "Silva")

    with caplog.at_level(logging.INFO, logger="civicdesk.people.services"):
        resident = resident_from_contact_details(email="ana@example.com", first_name="Maria")
    resident.refresh_from_db()
    assert resident.first_name == "Ana"
    assert "differs from the one on file" in caplog.text
    assert "Maria" not in caplog.text


def test_name_only_creates_a_resident_without_contact_points():
    resident = resident_from_contact_details(first_name="Ana")
    assert resident is not None
    assert resident.contact_points.count() == 0


def test_invalid_details_raise_one_error_naming_each_field_and_write_nothing():
    with pytest.raises(ValidationError) as caught:
        resident_from_contact_details(email="nope", phone="123", first_name="Ana")
    assert set(caught.value.message_dict) == {"email", "phone"}
    assert Resident.objects.count() == 0


def test_existing_consent_is_not_changed_by_a_new_report():
    resident_from_contact_details(email="ana@example.com", consent_updates=False)
    resident_from_contact_details(email="ana@example.com", consent_updates=True)
    assert not ContactPoint.objects.get().consent_updates


def test_set_consent_changes_only_the_given_flags_and_kind():
    resident = resident_from_contact_details(email="ana@example.com", phone="6176354500")
    changed = resident_set_consent(resident=resident, surveys=True)
    assert len(changed) == 2
    assert all(p.consent_surveys and p.consent_updates for p in resident.contact_points.all())

    changed = resident_set_consent(resident=resident, kind=ContactPointKind.PHONE, updates=False)
    assert [p.kind for p in changed] == [ContactPointKind.PHONE]
    email = resident.contact_points.get(kind=ContactPointKind.EMAIL)
    phone = resident.contact_points.get(kind=ContactPointKind.PHONE)
    assert email.consent_updates
    assert not phone.consent_updates
    assert resident_set_consent(resident=resident, surveys=True) == []


def test_str_shows_no_contact_details():
    resident = resident_from_contact_details(email="ana@example.com", phone="6176354500")
    assert "@" not in str(resident)
    assert "617" not in str(resident)


def test_a_lost_insert_race_is_retried(monkeypatch):
    """Another request inserts the same email between our lookup and our insert."""
    from civicdesk.people import services

    original = services._attach
    raced = []

    def attach_after_a_rival(resident, kind, value, consent_updates):
        if not raced:
            raced.append(True)
            rival = Resident.objects.create(first_name="Rival")
            ContactPoint.objects.create(resident=rival, kind=kind, value=value)
        original(resident, kind, value, consent_updates)

    monkeypatch.setattr(services, "_attach", attach_after_a_rival)
    # The rival's rows are created inside our savepoint, so the retry sees none of them: what
    # matters is that the IntegrityError is retried instead of escaping to the caller.
    resident = resident_from_contact_details(email="ana@example.com", first_name="Ana")
    assert resident is not None
    assert ContactPoint.objects.get(value="ana@example.com").resident_id == resident.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_reports_make_one_resident():
    def report() -> int:
        resident = resident_from_contact_details(email="race@example.com")
        assert resident is not None
        return resident.pk

    results = at_once([report] * 4)
    assert len(results) == 4
    assert len(set(results)) == 1
    assert ContactPoint.objects.filter(value="race@example.com").count() == 1
