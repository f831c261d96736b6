"""Intake records which jurisdiction a request belongs to: the one a channel names, else the
deployment's own."""

import pytest
from django.conf import settings

from civicdesk.cases.models import Case
from civicdesk.intake.services import IntakeError, intake_submit
from tests.intake.test_intake_service import pothole_report


def test_a_case_belongs_to_the_named_jurisdiction_or_the_default(pothole):
    named = intake_submit(submission=pothole_report(jurisdiction=" town-a.gov ")).case
    unnamed = intake_submit(submission=pothole_report()).case
    assert named is not None and unnamed is not None
    assert named.jurisdiction == "town-a.gov"
    assert unnamed.jurisdiction == settings.CIVICDESK_JURISDICTION_ID


def test_a_retry_into_another_jurisdiction_is_refused(pothole):
    first = intake_submit(submission=pothole_report(), idempotency_key="app-1")
    again = intake_submit(submission=pothole_report(), idempotency_key="app-1")
    assert again.replayed and again.case == first.case
    with pytest.raises(IntakeError) as raised:
        intake_submit(submission=pothole_report(jurisdiction="town-a.gov"), idempotency_key="app-1")
    assert "idempotency_key" in raised.value.message_dict


@pytest.mark.parametrize("value", ["x" * 101, "town\x00"])
def test_an_impossible_jurisdiction_is_named_and_nothing_is_written(pothole, value):
    with pytest.raises(IntakeError) as raised:
        intake_submit(submission=pothole_report(jurisdiction=value))
    assert "jurisdiction" in raised.value.message_dict
    assert not Case.objects.exists()
