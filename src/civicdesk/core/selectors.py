"""Reads about the deployment's health and its background work."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

from civicdesk.core.models import PeriodicRun, WorkerHeartbeat
from civicdesk.core.retries import ATTEMPT_KWARG, RETRY_SCHEDULED_PATH

HEARTBEAT_STALE_AFTER = timedelta(minutes=2)
HEARTBEAT_REQUEST_EVERY_SECONDS = 30


@dataclass(frozen=True)
class Health:
    database_ok: bool
    database_vendor: str
    task_backend: str
    queue_ok: bool
    last_heartbeat: datetime | None
    periodic: list["PeriodicStatus"] = field(default_factory=list)

    @property
    def worker_ok(self) -> bool:
        return (
            self.queue_ok
            and self.last_heartbeat is not None
            and timezone.now() - self.last_heartbeat < HEARTBEAT_STALE_AFTER
        )


def health_check() -> Health:
    """Check the database and ask the worker for a heartbeat (at most every 30 s)."""
    from civicdesk.core.tasks import worker_heartbeat

    last: datetime | None = None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        heartbeat = WorkerHeartbeat.objects.filter(backend=settings.TASK_BACKEND).first()
        last = heartbeat.beat_at if heartbeat else None
        database_ok = True
    except DatabaseError:
        database_ok = False
    queue_ok = True
    if database_ok:
        try:
            if cache.add("civicdesk:heartbeat-requested", 1, HEARTBEAT_REQUEST_EVERY_SECONDS):
                worker_heartbeat.enqueue()
        except Exception:  # a broker or cache outage must show on the page, not crash it
            queue_ok = False
    return Health(
        database_ok=database_ok,
        database_vendor=connection.vendor,
        task_backend=settings.TASK_BACKEND,
        queue_ok=queue_ok,
        last_heartbeat=last,
        periodic=periodic_statuses() if database_ok else [],
    )


@dataclass(frozen=True)
class PeriodicStatus:
    task_path: str
    every_seconds: int
    last_enqueued_at: datetime | None
    last_finished_at: datetime | None
    last_status: str | None


def periodic_statuses() -> list[PeriodicStatus]:
    """Each periodic task with when it was last enqueued and when a run of it last ended."""
    statuses = []
    for path, seconds in sorted(settings.CIVICDESK_PERIODIC_TASKS.items()):
        recent = list(PeriodicRun.objects.filter(task_path=path).order_by("-period_start")[:2])
        finished = next((run for run in recent if run.finished_at is not None), None)
        statuses.append(
            PeriodicStatus(
                task_path=path,
                every_seconds=seconds,
                last_enqueued_at=recent[0].enqueued_at if recent else None,
                last_finished_at=finished.finished_at if finished else None,
                last_status=finished.status if finished else None,
            )
        )
    return statuses


@dataclass(frozen=True)
class FailedTaskInfo:
    """A failed task as staff see it, from whichever task backend is active."""

    id: str
    task_path: str
    args: list[Any]
    kwargs: dict[str, Any]
    attempts: int
    exception: str
    message: str
    traceback: str
    failed_at: datetime | None

    @property
    def task_name(self) -> str:
        return self.task_path.rsplit(".", 1)[-1]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def _earlier_attempts(kwargs: dict[str, Any]) -> int:
    attempt = kwargs.get(ATTEMPT_KWARG, 1)
    return attempt - 1 if isinstance(attempt, int) and attempt > 1 else 0


def failed_tasks_list(*, limit: int = 200) -> list[FailedTaskInfo]:
    """Failed tasks, newest first. Attempts that failed and were retried (RetryScheduled) are
    left out: their task is queued again, and its last failure is the one that counts."""
    if settings.TASK_BACKEND == "rq":
        return _failed_rq_jobs(limit=limit)
    if settings.TASK_BACKEND != "database":
        return []
    from django_tasks_db.models import DBTaskResult

    results = (
        DBTaskResult.objects.failed()
        .exclude(exception_class_path=RETRY_SCHEDULED_PATH)
        .order_by("-finished_at")[:limit]
    )
    return [
        FailedTaskInfo(
            id=str(result.id),
            task_path=result.task_path,
            args=result.args_kwargs.get("args", []),
            kwargs=result.args_kwargs.get("kwargs", {}),
            attempts=_earlier_attempts(result.args_kwargs.get("kwargs", {}))
            + len(result.worker_ids),
            exception=result.exception_class_path,
            message=_last_line(result.traceback),
            traceback=result.traceback,
            failed_at=result.finished_at,
        )
        for result in results
    ]


def _failed_rq_jobs(*, limit: int) -> list[FailedTaskInfo]:
    import django_rq
    from django_tasks import task_backends
    from rq.registry import FailedJobRegistry

    from civicdesk.core.rq import Job

    connection = django_rq.get_connection()
    failed = []
    for name in sorted(task_backends["default"].queues):
        registry = FailedJobRegistry(queue=django_rq.get_queue(name, job_class=Job))
        ids = registry.get_job_ids()
        for job in Job.fetch_many(ids, connection=connection):
            if job is None:
                continue
            exceptions = job.meta.get("_django_tasks_rq_exceptions", [])
            exception = exceptions[-1] if exceptions else ""
            if exception == RETRY_SCHEDULED_PATH:
                continue
            latest = job.latest_result()
            traceback = (latest.exc_string if latest else "") or ""
            failed.append(
                FailedTaskInfo(
                    id=job.id,
                    task_path=job.func_name or "",
                    args=list(job.args),
                    kwargs=dict(job.kwargs),
                    attempts=_earlier_attempts(job.kwargs) + max(1, len(job.results())),
                    exception=exception,
                    message=_last_line(traceback),
                    traceback=traceback,
                    failed_at=job.ended_at,
                )
            )
    far_past = timezone.now() - timedelta(days=36500)
    failed.sort(key=lambda task: task.failed_at or far_past, reverse=True)
    return failed[:limit]
