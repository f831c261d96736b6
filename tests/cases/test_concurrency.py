"""Two agents closing the same case at the same moment: one wins, the other is told why."""

from functools import partial

import pytest

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind
from civicdesk.cases.models import Case, CaseEvent
from civicdesk.cases.services.workflow import case_transition
from civicdesk.cases.status import TransitionError
from tests.races import at_once


@pytest.mark.django_db(transaction=True)
def test_concurrent_close_writes_once(make_case):
    case = make_case()
    workers = 4
    # Each agent holds its own stale copy of the case, read before anyone closed it.
    closes = [
        partial(
            case_transition,
            case=Case.objects.get(pk=case.pk),
            to_status=CaseStatus.CLOSED,
            close_reason=CloseReason.RESOLVED,
        )
        for _ in range(workers)
    ]
    outcomes = [
        "refused" if isinstance(outcome, TransitionError) else "closed"
        for outcome in at_once(closes, expected=(TransitionError,))
    ]

    assert sorted(outcomes) == ["closed"] + ["refused"] * (workers - 1)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CLOSED).count() == 1
