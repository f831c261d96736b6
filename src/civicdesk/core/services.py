"""Writes about background work: periodic runs, task leases, lost and failed tasks."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task_backends
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend

from civicdesk.core.models import PeriodicRun, TaskLease
from civicdesk.core.retries import RETRY_SCHEDULED_PATH

logger = logging.getLogger(__name__)

PERIODIC_RUNS_KEPT = timedelta(days=7)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PeriodicTask:
    path: str
    every: timedelta


class WorkerLost(Exception):
    """The task's worker died while running it, more often than CIVICDESK_TASK_LOST_RETRIES."""


def periodic_tasks() -> list[PeriodicTask]:
    return [
        PeriodicTask(path=path, every=timedelta(seconds=seconds))
        for path, seconds in sorted(settings.CIVICDESK_PERIODIC_TASKS.items())
    ]


def period_start(*, now: datetime, every: timedelta) -> datetime:
    """The start of the period `now` falls in; periods are counted from the Unix epoch in UTC,
    so every host agrees on them without talking to the others (daily = from midnight UTC)."""
    step = int(every.total_seconds() * 1_000_000)
    elapsed = (now - _EPOCH) // timedelta(microseconds=1)
    return _EPOCH + timedelta(microseconds=elapsed - elapsed % step)


_unloadable: set[str] = set()


def _load_task(path: str) -> Task[Any, Any] | None:
    try:
        task = import_string(path)
    except ImportError:
        task = None
    if not isinstance(task, Task):
        if path not in _unloadable:
            logger.error("Periodic task %s is not a task; it is skipped until it is.", path)
            _unloadable.add(path)
        return None
    _unloadable.discard(path)
    return task


def periodic_runs_enqueue_due(*, now: datetime | None = None) -> list[PeriodicRun]:
    """Enqueue each periodic task whose current period has no run yet; return what this call
    enqueued. Safe on any number of workers at once: each period is claimed by one insert.

    Only the current period counts, so periods missed while no worker ran make one run, not one
    per missed period.
    """
    now = now or timezone.now()
    enqueued = []
    for periodic in periodic_tasks():
        start = period_start(now=now, every=periodic.every)
        # A read first: most ticks find the period taken, and on SQLite a failed insert would
        # still have taken the database's write lock.
        if PeriodicRun.objects.filter(task_path=periodic.path, period_start=start).exists():
            continue
        task = _load_task(periodic.path)
        if task is None:
            continue
        run = _periodic_run_claim_and_enqueue(task=task, path=periodic.path, start=start, now=now)
        if run is not None:
            enqueued.append(run)
    return enqueued


def _periodic_run_claim_and_enqueue(
    *, task: Task[Any, Any], path: str, start: datetime, now: datetime
) -> PeriodicRun | None:
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        # The claim and the queued task commit together: no claimed period without its run.
        try:
            with transaction.atomic():
                claimed = PeriodicRun.objects.create(
                    task_path=path, period_start=start, enqueued_at=now
                )
                claimed.result_id = str(task.enqueue().id)
                claimed.save(update_fields=["result_id"])
        except IntegrityError:
            return None
        return claimed
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(task_path=path, period_start=start, enqueued_at=now)
    except IntegrityError:
        return None
    try:
        result = task.enqueue()
    except Exception:
        run.delete()  # the period is free again for the next tick, here or on another worker
        raise
    run.result_id = str(result.id)
    run.save(update_fields=["result_id"])
    # A fast worker may have finished the run before its id was saved here.
    if backend.supports_get_result:
        result.refresh()
        if result.is_finished:
            periodic_run_record_finish(
                result_id=run.result_id, status=_status_of(result.status, result.errors)
            )
    return run


def periodic_runs_prune(*, now: datetime | None = None) -> int:
    """Forget periodic runs older than a week, keeping each task's latest for the health page."""
    now = now or timezone.now()
    latest = [
        run.pk
        for path in settings.CIVICDESK_PERIODIC_TASKS
        if (run := PeriodicRun.objects.filter(task_path=path).order_by("-period_start").first())
    ]
    deleted, _ = (
        PeriodicRun.objects.filter(period_start__lt=now - PERIODIC_RUNS_KEPT)
        .exclude(pk__in=latest)
        .delete()
    )
    return deleted


def _status_of(status: str, errors: list[Any]) -> str:
    if (
        status == TaskResultStatus.FAILED
        and errors
        and errors[-1].exception_class_path == RETRY_SCHEDULED_PATH
    ):
        return "RETRYING"
    return str(status)


def periodic_run_record_finish(*, result_id: str, status: str) -> None:
    PeriodicRun.objects.filter(result_id=result_id, finished_at__isnull=True).update(
        finished_at=timezone.now(), status=status
    )


def periodic_run_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """django-tasks' task_finished receiver: a periodic run's end is shown on the health page."""
    try:
        periodic_run_record_finish(
            result_id=str(task_result.id),
            status=_status_of(task_result.status, task_result.errors),
        )
    except DatabaseError:
        # Raising here would turn the task that just finished into a failed one.
        logger.exception("Could not record the end of task %s", task_result.id)


def task_lease_acquire(*, result_id: Any, worker_id: str) -> None:
    TaskLease.objects.update_or_create(
        result_id=result_id,
        defaults={
            "worker_id": worker_id,
            "expires_at": timezone.now() + timedelta(seconds=settings.CIVICDESK_TASK_LEASE_SECONDS),
        },
    )


def task_leases_renew(*, result_ids: list[Any], worker_id: str) -> int:
    if not result_ids:
        return 0
    expires_at = timezone.now() + timedelta(seconds=settings.CIVICDESK_TASK_LEASE_SECONDS)
    return TaskLease.objects.filter(result_id__in=result_ids, worker_id=worker_id).update(
        expires_at=expires_at
    )


def task_lease_release(*, result_id: Any) -> None:
    TaskLease.objects.filter(result_id=result_id).delete()


def task_leases_recover(*, now: datetime | None = None) -> int:
    """Queue again each database-backend task left running by a worker that died (its lease
    lapsed, or it never got one), or fail it once it has been lost too often. Returns how many."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.CIVICDESK_TASK_LEASE_SECONDS)
    live = TaskLease.objects.filter(expires_at__gt=now).values("result_id")
    lost = DBTaskResult.objects.running().filter(started_at__lt=cutoff).exclude(id__in=live)
    recovered = 0
    for result_id in list(lost.values_list("id", flat=True)[:100]):
        with transaction.atomic():
            result = lost.filter(id=result_id).select_for_update(skip_locked=True).first()
            if result is None:
                continue
            TaskLease.objects.filter(result_id=result_id).delete()
            runs = len(result.worker_ids)
            if runs > settings.CIVICDESK_TASK_LOST_RETRIES:
                result.set_failed(
                    WorkerLost(f"The worker running this task died {runs} times; not retried.")
                )
                logger.error(
                    "Task %s %s failed: its worker died %d times", result_id, result.task_path, runs
                )
            else:
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                logger.warning(
                    "Task %s %s was left running by a lost worker; queued again",
                    result_id,
                    result.task_path,
                )
            recovered += 1
    return recovered


def rq_abandoned_jobs_recover() -> None:
    """rq's own StartedJobRegistry cleanup, on every queue: a job whose worker stopped renewing
    its heartbeat is queued again while it has lost-worker retries left, else marked failed."""
    import django_rq
    from rq.registry import StartedJobRegistry

    from civicdesk.core.rq import Job

    for name in sorted(task_backends["default"].queues):
        queue = django_rq.get_queue(name, job_class=Job)
        StartedJobRegistry(queue=queue, job_class=Job).cleanup()


def failed_task_retry(*, task_id: str) -> bool:
    """Queue a failed task again, as it was; False if it is not (or no longer) a failed task."""
    backend = task_backends["default"]
    if isinstance(backend, DatabaseBackend):
        from django.core.exceptions import ValidationError
        from django_tasks_db.models import DBTaskResult, get_date_max

        try:
            updated = DBTaskResult.objects.filter(
                id=task_id, status=TaskResultStatus.FAILED
            ).update(status=TaskResultStatus.READY, run_after=get_date_max(), finished_at=None)
        except ValidationError:
            return False
        return updated == 1
    if settings.TASK_BACKEND == "rq":
        import django_rq
        from rq.registry import FailedJobRegistry

        from civicdesk.core.rq import Job

        for name in sorted(backend.queues):
            registry = FailedJobRegistry(queue=django_rq.get_queue(name, job_class=Job))
            if task_id in registry.get_job_ids():
                registry.requeue(task_id)
                return True
    return False
