"""Two agents closing the same case at the same moment: one wins, the other is told why."""

import threading

import pytest
from django.db import close_old_connections, connection

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind
from civicdesk.cases.models import Case, CaseEvent
from civicdesk.cases.services.workflow import case_transition
from civicdesk.cases.status import TransitionError


@pytest.mark.django_db(transaction=True)
def test_concurrent_close_writes_once(make_case):
    case = make_case()
    workers = 4
    barrier = threading.Barrier(workers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def close() -> None:
        # Each thread gets its own connection and its own stale copy of the case.
        stale = Case.objects.get(pk=case.pk)
        barrier.wait()
        try:
            case_transition(
                case=stale, to_status=CaseStatus.CLOSED, close_reason=CloseReason.RESOLVED
            )
            outcome = "closed"
        except TransitionError:
            outcome = "refused"
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=close) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["closed"] + ["refused"] * (workers - 1)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CLOSED).count() == 1
