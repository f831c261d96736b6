"""Intake reads every free text for an emergency, flags the contact, still opens the case,
and hands the finding back so the channel can tell the resident to call 911."""

import pytest

from civicdesk.assistant.choices import EmergencyCategory
from civicdesk.contacts.choices import Channel
from civicdesk.contacts.models import Contact
from civicdesk.intake.services import (
    IntakeError,
    IntakeSubmission,
    intake_emergency_check,
    intake_submit,
)

BOSTON_CITY_HALL = {"lat": "42.3603", "long": "-71.0580"}


def report(**overrides):
    fields = {
        "channel": Channel.WEB,
        "service_code": "pothole",
        "description": "Deep pothole in the right lane",
        "attributes": {"size": "large"},
        **BOSTON_CITY_HALL,
    }
    fields.update(overrides)
    return IntakeSubmission(**fields)


@pytest.mark.django_db
def test_an_emergency_description_flags_the_contact_and_still_opens_the_case(pothole):
    result = intake_submit(
        submission=report(description="Pothole, and a car crashed into it, the driver is hurt")
    )

    assert result.case is not None
    assert result.emergency.is_emergency
    assert result.emergency.category == EmergencyCategory.CRASH_WITH_INJURIES
    contact = Contact.objects.get()
    assert contact.emergency
    assert contact.emergency_category == "crash_with_injuries"


@pytest.mark.django_db
def test_a_routine_description_with_danger_words_is_not_flagged(pothole):
    result = intake_submit(
        submission=report(description="Pothole next to the fire hydrant by the gas station")
    )

    assert not result.emergency.is_emergency
    assert not Contact.objects.get().emergency


@pytest.mark.django_db
def test_spanish_words_and_the_summary_are_read_too(status_check_reason):
    result = intake_submit(
        submission=IntakeSubmission(
            channel=Channel.SMS,
            reason_code="status-check",
            summary="quiero saber de mi reporte. huele a gas en mi casa",
            language="es",
        )
    )

    assert result.emergency.category == EmergencyCategory.GAS
    assert result.emergency.language == "es"
    assert Contact.objects.get().emergency_category == "gas"


def test_free_text_answers_are_read():
    finding = intake_emergency_check(
        submission=report(description="", attributes={"notes": ["smoke pouring out the door"]})
    )

    assert finding.category == EmergencyCategory.FIRE


def test_historical_imports_are_never_emergencies():
    finding = intake_emergency_check(
        submission=report(channel=Channel.IMPORT, description="Smell of gas")
    )

    assert not finding.is_emergency


@pytest.mark.django_db
def test_a_retry_answers_with_the_same_finding_and_writes_nothing_new(pothole):
    submission = report(description="wires down and sparking next to the pothole")

    first = intake_submit(submission=submission, idempotency_key="retry-1")
    again = intake_submit(submission=submission, idempotency_key="retry-1")

    assert again.replayed and again.contact.pk == first.contact.pk
    assert again.emergency.category == first.emergency.category == EmergencyCategory.LIVE_WIRES
    assert Contact.objects.count() == 1


@pytest.mark.django_db
def test_bad_input_is_refused_before_any_flagging(pothole):
    with pytest.raises(IntakeError):
        intake_submit(submission=report(description="the house is on fire", service_code="nope"))

    assert not Contact.objects.exists()
