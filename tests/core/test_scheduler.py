from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from civicdesk.core.models import DataRevision, PeriodicRun
from civicdesk.core.services import period_start, periodic_runs_enqueue_due, periodic_runs_prune
from civicdesk.settings import periodic_tasks_from_env
from tests.races import at_once
from tests.workers import (
    only_periodic,
    run_worker_until_idle,
    start_worker,
    subprocess_env,
)

COUNT = "tests.workers.count_periodic"


pytestmark = pytest.mark.usefixtures("empty_task_queue")


@given(
    now=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    seconds=st.integers(min_value=1, max_value=7 * 86400),
)
def test_a_moment_falls_in_exactly_one_period_that_every_host_computes_alike(now, seconds):
    every = timedelta(seconds=seconds)
    start = period_start(now=now, every=every)
    assert start <= now < start + every
    assert int(start.timestamp()) % seconds == 0
    assert period_start(now=start + every - timedelta(microseconds=1), every=every) == start


def test_the_periodic_tasks_can_be_changed_from_the_environment(monkeypatch):
    defaults = {"a.b.sweep": 300, "a.b.daily": 86400}
    monkeypatch.setenv("CIVICDESK_PERIODIC_TASKS", "a.b.daily=off, a.b.sweep=2m, x.y.hourly=1h")
    assert periodic_tasks_from_env("CIVICDESK_PERIODIC_TASKS", defaults) == {
        "a.b.sweep": 120,
        "x.y.hourly": 3600,
    }
    monkeypatch.setenv("CIVICDESK_PERIODIC_TASKS", "a.b.sweep=soon")
    with pytest.raises(ImproperlyConfigured, match="soon"):
        periodic_tasks_from_env("CIVICDESK_PERIODIC_TASKS", defaults)


def test_the_default_registry_runs_the_sweep_the_link_check_and_the_heartbeat():
    from django.conf import settings

    assert settings.CIVICDESK_PERIODIC_TASKS["civicdesk.cases.tasks.sla_sweep"] == 300
    assert (
        settings.CIVICDESK_PERIODIC_TASKS["civicdesk.knowledge.tasks.knowledge_links_check"]
        == 86400
    )
    assert settings.CIVICDESK_PERIODIC_TASKS["civicdesk.core.tasks.worker_heartbeat"] == 60


def counted(key: str) -> int:
    row = DataRevision.objects.filter(name=key).first()
    return row.value if row else 0


@pytest.mark.django_db(transaction=True)
@override_settings(CIVICDESK_PERIODIC_TASKS={COUNT: 300})
def test_missed_periods_make_one_run_on_restart_and_a_period_runs_once():
    now = datetime(2026, 3, 2, 10, 7, tzinfo=UTC)
    PeriodicRun.objects.create(
        task_path=COUNT, period_start=now - timedelta(hours=5), enqueued_at=now - timedelta(hours=5)
    )
    enqueued = periodic_runs_enqueue_due(now=now)
    assert [run.period_start for run in enqueued] == [datetime(2026, 3, 2, 10, 5, tzinfo=UTC)]
    assert periodic_runs_enqueue_due(now=now + timedelta(minutes=2)) == []
    assert len(periodic_runs_enqueue_due(now=now + timedelta(minutes=3))) == 1
    assert PeriodicRun.objects.filter(task_path=COUNT).count() == 3
    run_worker_until_idle()
    assert counted("periodic") == 2


@pytest.mark.django_db
@override_settings(CIVICDESK_PERIODIC_TASKS={"tests.workers.does_not_exist": 60})
def test_a_periodic_task_that_cannot_be_loaded_is_skipped_without_claiming_its_period():
    assert periodic_runs_enqueue_due() == []
    assert not PeriodicRun.objects.exists()


@pytest.mark.django_db
@override_settings(CIVICDESK_PERIODIC_TASKS={COUNT: 60})
def test_old_runs_are_pruned_but_each_tasks_latest_is_kept():
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    for days in (30, 20, 1):
        moment = now - timedelta(days=days)
        PeriodicRun.objects.create(task_path=COUNT, period_start=moment, enqueued_at=moment)
    PeriodicRun.objects.create(
        task_path="gone.task", period_start=now - timedelta(days=9), enqueued_at=now
    )
    assert periodic_runs_prune(now=now) == 3
    assert list(PeriodicRun.objects.values_list("task_path", flat=True)) == [COUNT]


@pytest.mark.django_db(transaction=True)
@override_settings(CIVICDESK_PERIODIC_TASKS={COUNT: 300})
def test_schedulers_racing_in_many_threads_enqueue_the_period_once():
    now = datetime(2026, 3, 2, 10, 7, tzinfo=UTC)
    claimed = at_once([lambda: len(periodic_runs_enqueue_due(now=now))] * 4)
    assert sorted(claimed) == [0, 0, 0, 1]
    assert PeriodicRun.objects.count() == 1
    run_worker_until_idle()
    assert counted("periodic") == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_several_workers_started_together_run_a_period_once(tmp_path):
    env = subprocess_env(CIVICDESK_PERIODIC_TASKS=only_periodic(count_periodic=3600))
    workers = [start_worker(env, "--burst") for _ in range(3)]
    codes = [worker.wait(timeout=120) for worker in workers]
    assert codes == [0, 0, 0]
    assert PeriodicRun.objects.filter(task_path="tests.workers.count_periodic").count() == 1
    assert counted("periodic") == 1
    assert PeriodicRun.objects.get().status == "SUCCESSFUL"
