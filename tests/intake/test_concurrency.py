import pytest

from civicdesk.cases.models import Case
from civicdesk.contacts.choices import Channel
from civicdesk.intake.services import IntakeSubmission, intake_submit
from tests.races import at_once


@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_with_one_key_make_one_case(pothole):
    submission = IntakeSubmission(
        channel=Channel.OPEN311,
        service_code="pothole",
        description="Crater by the bus stop",
        attributes={"size": "small"},
        lat="42.3603",
        long="-71.0580",
    )

    def submit() -> str:
        result = intake_submit(submission=submission, idempotency_key="retry-storm")
        assert result.case is not None
        return result.case.reference

    references = at_once([submit] * 4)

    assert len(set(references)) == 1
    assert Case.objects.count() == 1
