import contextlib
import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus

from civicdesk.core.models import DataRevision, PeriodicRun, TaskLease, WorkerHeartbeat
from tests.workers import (
    block_first_run,
    count_run,
    kill_worker,
    only_periodic,
    start_worker,
    subprocess_env,
    wait_for,
)

LEASE_SECONDS = 2
database_backend_only = pytest.mark.skipif(
    settings.TASK_BACKEND != "database", reason="leases are the database backend's"
)


pytestmark = pytest.mark.usefixtures("empty_task_queue")


def kill_pid(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def status_of(result) -> str:
    result.refresh()
    return result.status


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_killed_worker_runs_again_and_its_effect_happens_once(
    tmp_path: Path,
):
    env = subprocess_env(
        CIVICDESK_TASK_LEASE_SECONDS=str(LEASE_SECONDS),
        CIVICDESK_SCHEDULER_TICK_SECONDS="0.5",
    )
    starts = tmp_path / "lost-task.starts"
    result = block_first_run.enqueue(key="lost-task", folder=str(tmp_path))

    first = start_worker(env, "--no-scheduler")
    try:
        wait_for(starts.exists, what="the first worker to start the task")
        # Alive, the first worker keeps its lease: waiting out two lease lengths changes nothing.
        time.sleep(LEASE_SECONDS * 2)
        assert status_of(result) == TaskResultStatus.RUNNING
        assert len(starts.read_text().splitlines()) == 1
    finally:
        kill_worker(first)
        # rq runs the task in a child that leaves the process group; a lost machine takes it too.
        kill_pid(int(starts.read_text().split()[0]))

    second = start_worker(env, "--no-scheduler")
    try:
        wait_for(lambda: status_of(result) == TaskResultStatus.SUCCESSFUL, what="the second run")
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0
    assert result.return_value == "done"
    assert len(starts.read_text().splitlines()) == 2
    assert DataRevision.objects.filter(name="lost-task").count() == 1
    assert not TaskLease.objects.exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_tasks_and_the_scheduler_and_stops_cleanly_on_sigterm():
    env = subprocess_env(
        CIVICDESK_PERIODIC_TASKS=only_periodic(count_periodic=3600)
        + ",civicdesk.core.tasks.worker_heartbeat=60",
        CIVICDESK_SCHEDULER_TICK_SECONDS="0.5",
    )
    worker = start_worker(env)
    try:
        count_run.enqueue(key="queued-before")
        wait_for(
            lambda: (
                WorkerHeartbeat.objects.filter(backend=settings.TASK_BACKEND).exists()
                and DataRevision.objects.filter(name="periodic", value=1).exists()
                and DataRevision.objects.filter(name="queued-before", value=1).exists()
            ),
            what="the periodic tasks and the queued task to run",
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=60)
    assert code == 0
    assert set(PeriodicRun.objects.values_list("task_path", flat=True)) == {
        "tests.workers.count_periodic",
        "civicdesk.core.tasks.worker_heartbeat",
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_burst_runs_what_is_ready_and_exits():
    for number in range(3):
        count_run.enqueue(key=f"burst-{number}")
    worker = start_worker(subprocess_env(), "--burst", "--no-scheduler")
    assert worker.wait(timeout=120) == 0
    assert DataRevision.objects.filter(name__startswith="burst-", value=1).count() == 3
    assert not PeriodicRun.objects.exists()


def test_the_worker_refuses_a_queue_that_does_not_exist():
    with pytest.raises(CommandError, match="Unknown queues: nightly"):
        call_command("worker", queues="nightly")


@override_settings(TASK_BACKEND="immediate")
def test_the_immediate_backend_has_no_worker():
    with pytest.raises(CommandError, match="inline"):
        call_command("worker", burst=True)


def running_result(*, started_ago: timedelta, runs: int = 1):
    from django_tasks_db.models import DBTaskResult

    result = count_run.enqueue(key="leased")
    DBTaskResult.objects.filter(id=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started_ago,
        worker_ids=[f"dead-{number}" for number in range(runs)],
    )
    return result


@database_backend_only
@pytest.mark.django_db
@override_settings(CIVICDESK_TASK_LEASE_SECONDS=60, CIVICDESK_TASK_LOST_RETRIES=2)
def test_only_tasks_without_a_live_lease_are_taken_from_their_worker():
    from civicdesk.core.services import task_lease_acquire, task_leases_recover

    just_started = running_result(started_ago=timedelta(seconds=5))
    leased = running_result(started_ago=timedelta(minutes=10))
    task_lease_acquire(result_id=leased.id, worker_id="alive")
    lapsed = running_result(started_ago=timedelta(minutes=10))
    task_lease_acquire(result_id=lapsed.id, worker_id="dead")
    TaskLease.objects.filter(result_id=lapsed.id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    never_leased = running_result(started_ago=timedelta(minutes=10))

    assert task_leases_recover() == 2
    assert status_of(just_started) == TaskResultStatus.RUNNING
    assert status_of(leased) == TaskResultStatus.RUNNING
    assert status_of(lapsed) == TaskResultStatus.READY
    assert status_of(never_leased) == TaskResultStatus.READY
    assert list(TaskLease.objects.values_list("result_id", flat=True)) == [leased.db_result.id]


@database_backend_only
@pytest.mark.django_db
@override_settings(CIVICDESK_TASK_LEASE_SECONDS=60, CIVICDESK_TASK_LOST_RETRIES=2)
def test_a_task_that_keeps_losing_its_worker_fails_visibly_instead_of_looping():
    from civicdesk.core.selectors import failed_tasks_list
    from civicdesk.core.services import task_leases_recover

    result = running_result(started_ago=timedelta(minutes=10), runs=3)
    assert task_leases_recover() == 1
    assert status_of(result) == TaskResultStatus.FAILED
    [failed] = failed_tasks_list()
    assert failed.exception == "civicdesk.core.services.WorkerLost"
    assert failed.attempts == 3
