import random
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django_tasks import TaskResultStatus
from django_tasks.signals import task_enqueued
from hypothesis import given
from hypothesis import strategies as st

from civicdesk.core.models import DataRevision
from civicdesk.core.retries import backoff_delay, retrying
from civicdesk.core.selectors import failed_tasks_list
from tests.workers import always_fail, fail_twice, run_worker_until_idle, wait_for

pytestmark = pytest.mark.usefixtures("empty_task_queue")


@given(
    attempt=st.integers(min_value=1, max_value=200),
    base=st.floats(min_value=0.001, max_value=10_000),
    extra=st.floats(min_value=0, max_value=100_000),
    seed=st.integers(),
)
def test_the_delay_doubles_per_attempt_up_to_the_cap_with_jitter_in_its_upper_half(
    attempt, base, extra, seed
):
    cap = base + extra
    ceiling = min(cap, base * 2 ** (attempt - 1)) if attempt < 1000 else cap
    delay = backoff_delay(attempt=attempt, base=base, cap=cap, rng=random.Random(seed))
    assert ceiling / 2 <= delay <= ceiling
    assert delay <= cap


def test_jitter_spreads_the_retries_of_tasks_that_failed_together():
    rng = random.Random(7)
    delays = {round(backoff_delay(attempt=3, base=10, cap=600, rng=rng), 6) for _ in range(50)}
    assert len(delays) > 40


def test_a_retry_policy_that_cannot_work_is_refused():
    with pytest.raises(ImproperlyConfigured):
        retrying(max_attempts=0)
    with pytest.raises(ImproperlyConfigured):
        retrying(base_delay=60, max_delay=10)


def runs(key: str) -> int:
    row = DataRevision.objects.filter(name=key).first()
    return row.value if row else 0


def work_until(condition, what: str) -> None:
    def worked() -> bool:
        run_worker_until_idle()
        return bool(condition())

    wait_for(worked, seconds=60, what=what)


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_is_enqueued_again_later_until_it_succeeds():
    enqueued = []

    def record(sender, task_result, **kwargs):
        if task_result.task.func is fail_twice.func:
            enqueued.append((time.time(), task_result))

    task_enqueued.connect(record)
    try:
        first = fail_twice.enqueue(key="flaky")
        work_until(lambda: runs("flaky") >= 3 and len(enqueued) == 3, "three attempts")
    finally:
        task_enqueued.disconnect(record)

    first.refresh()
    assert first.status == TaskResultStatus.FAILED
    assert first.errors[-1].exception_class_path == "civicdesk.core.retries.RetryScheduled"
    assert "ConnectionError" in first.errors[-1].traceback
    retries = [result for _, result in enqueued[1:]]
    assert [result.kwargs["retry_attempt"] for result in retries] == [2, 3]
    # Each retry waits: it may run only after the attempt before it was enqueued (and failed),
    # and no later than its backoff ceiling (0.2 s, then 0.4 s) after being enqueued.
    for (before, _), (enqueued_at, result), ceiling in zip(
        enqueued[:-1], enqueued[1:], (0.2, 0.4), strict=True
    ):
        assert result.task.run_after is not None
        assert before < result.task.run_after.timestamp() <= enqueued_at + ceiling
    last = retries[-1]
    wait_for(lambda: (last.refresh(), last.is_finished)[1], what="the last attempt to finish")
    assert last.status == TaskResultStatus.SUCCESSFUL
    assert last.return_value == 3
    assert runs("flaky") == 3
    assert failed_tasks_list() == []


@pytest.mark.django_db(transaction=True)
def test_the_final_failure_stays_visible_with_its_own_error_and_all_attempts():
    always_fail.enqueue(key="broken")
    work_until(lambda: runs("broken") >= 2 and failed_tasks_list(), "the final failure")
    run_worker_until_idle()
    assert runs("broken") == 2
    [failed] = failed_tasks_list()
    assert failed.task_path == "tests.workers.always_fail"
    assert failed.exception == "builtins.ValueError"
    assert failed.message == "ValueError: broken is not a valid thing"
    assert "Traceback" in failed.traceback
    assert failed.attempts == 2
    assert failed.kwargs["key"] == "broken"
