"""The RQ task backend as CivicDesk runs it.

Two changes to django-tasks-rq, both about a task whose worker died:

- every job is created with rq retries (`CIVICDESK_TASK_LOST_RETRIES`), which rq's own
  StartedJobRegistry cleanup spends on a job whose worker stopped heartbeating, so the job is run
  again instead of being written off as failed;
- those retries are *only* for lost workers: an exception inside a task is retried by
  `civicdesk.core.retries` with backoff, where the task asked for it, never blindly by rq.

The worker's heartbeat grace is `CIVICDESK_TASK_LEASE_SECONDS` instead of rq's fixed minute, so a
lost job is noticed about as soon as on the database backend.
"""

from typing import Any, TypeVar

import django_rq
from django.conf import settings
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq import backend as rq_backend
from rq import Retry, SimpleWorker, Worker
from rq.callbacks import Callback
from rq.exceptions import NoSuchJobError
from rq.job import JobStatus
from typing_extensions import ParamSpec

T = TypeVar("T")
P = ParamSpec("P")


class Job(rq_backend.Job):
    @property
    def should_retry(self) -> bool:
        return False


def lease_seconds() -> int:
    return max(1, round(settings.CIVICDESK_TASK_LEASE_SECONDS))


def monitoring_interval() -> int:
    """How often a worker renews a running job's lease: a third of it, so two renewals may fail."""
    return max(1, lease_seconds() // 3)


class LeaseMixin:
    job_monitoring_interval: int

    def get_heartbeat_ttl(self, job: Any, working_time: float = 0.0) -> int:
        interval = self.job_monitoring_interval
        if job.timeout and job.timeout > 0:
            interval = int(min(job.timeout - working_time, interval))
        return interval + lease_seconds()


class RQWorker(LeaseMixin, Worker):
    """rq's forking worker: each job runs in its own child process."""


class InProcessRQWorker(LeaseMixin, SimpleWorker):
    """Runs jobs in the calling process (tests share its database connection this way)."""


class RQBackend(rq_backend.RQBackend):
    def enqueue(
        self,
        task: Task[P, T],
        args: P.args,  # type: ignore[valid-type]
        kwargs: P.kwargs,  # type: ignore[valid-type]
    ) -> TaskResult[T]:
        self.validate_task(task)
        task_result: TaskResult[T] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        retries = settings.CIVICDESK_TASK_LOST_RETRIES
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(rq_backend.failed_callback),
            on_success=Callback(rq_backend.success_callback),
            meta={"backend_name": self.alias},
            retry=Retry(max=retries) if retries > 0 else None,
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result

    def _get_queues(self) -> list[Any]:
        return django_rq.queues.get_queues(*sorted(self.queues), job_class=Job)  # type: ignore[no-untyped-call]

    def _get_job(self, result_id: str) -> Any:
        try:
            return Job.fetch(result_id, connection=django_rq.get_connection())
        except NoSuchJobError:
            return None
