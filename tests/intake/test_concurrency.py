import threading

import pytest
from django.db import connection

from civicdesk.cases.models import Case
from civicdesk.contacts.choices import Channel
from civicdesk.intake.services import IntakeSubmission, intake_submit


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
    start = threading.Barrier(4)
    references: list[str] = []
    failures: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            result = intake_submit(submission=submission, idempotency_key="retry-storm")
            assert result.case is not None
            references.append(result.case.reference)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(set(references)) == 1
    assert Case.objects.count() == 1
