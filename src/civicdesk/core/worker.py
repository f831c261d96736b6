"""The process behind `civicdesk worker`: the configured backend's worker loop in the main thread
and, beside it, a housekeeping thread that renews the leases of running tasks, queues again the
tasks of workers that died, and enqueues due periodic tasks."""

import logging
import os
import signal
import socket
import threading
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorkerBase
from django_tasks_db.models import DBTaskResult

from civicdesk.core import services

logger = logging.getLogger(__name__)

PRUNE_EVERY_TICKS = 720
_INTERRUPTED = {"builtins.SystemExit", "builtins.KeyboardInterrupt"}


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


class Housekeeping:
    """One tick: renew this worker's task leases, recover lost tasks, enqueue due periodic runs.

    Every step is safe on any number of workers at once; an error in one step is logged and the
    next tick tries again, so a database or broker hiccup never stops the worker.
    """

    def __init__(
        self, *, worker_id: str, scheduler: bool, running: set[UUID] | None = None
    ) -> None:
        self.worker_id = worker_id
        self.scheduler = scheduler
        self.running = running
        self.interval = min(
            settings.CIVICDESK_SCHEDULER_TICK_SECONDS, settings.CIVICDESK_TASK_LEASE_SECONDS / 3
        )
        self._ticks = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> None:
        if self.running is not None:
            self._step(
                "renew task leases",
                lambda: services.task_leases_renew(
                    result_ids=list(self.running or ()), worker_id=self.worker_id
                ),
            )
        if settings.TASK_BACKEND == "rq":
            self._step("recover abandoned jobs", services.rq_abandoned_jobs_recover)
        else:
            self._step("recover lost tasks", services.task_leases_recover)
        if self.scheduler:
            self._step("enqueue periodic tasks", services.periodic_runs_enqueue_due)
            if self._ticks % PRUNE_EVERY_TICKS == 0:
                self._step("prune periodic runs", services.periodic_runs_prune)
        self._ticks += 1

    def _step(self, name: str, step: Any) -> None:
        try:
            step()
        except Exception:
            logger.exception("Housekeeping could not %s; trying again next tick", name)

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._loop, name="civicdesk-housekeeping", daemon=True
        )
        self._thread.start()

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                self.tick()
                close_old_connections()
        finally:
            connections.close_all()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


class DatabaseWorker(DatabaseWorkerBase):
    """django-tasks-db's worker, holding a lease on the task it runs while it runs it."""

    def __init__(self, *, running: set[UUID], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.running_ids = running

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        result_id = db_task_result.id
        services.task_lease_acquire(result_id=result_id, worker_id=self.worker_id)
        self.running_ids.add(result_id)
        try:
            super().run_task(db_task_result)
        finally:
            self.running_ids.discard(result_id)
            services.task_lease_release(result_id=result_id)
        if (
            db_task_result.status == TaskResultStatus.FAILED
            and db_task_result.exception_class_path in _INTERRUPTED
        ):
            # A forced stop interrupted the task, which did nothing wrong: queue it again.
            DBTaskResult.objects.filter(id=result_id).update(
                status=TaskResultStatus.READY, finished_at=None
            )
            logger.warning("Task %s was interrupted by a forced stop; queued again", result_id)
            raise SystemExit(1)


def run_worker(
    *,
    queues: list[str] | None = None,
    burst: bool = False,
    scheduler: bool = True,
    interval: float = 1.0,
    worker_id: str | None = None,
    in_process: bool = False,
) -> None:
    """Run the configured backend's worker until stopped (SIGTERM/SIGINT: finish the running
    task, then exit; a second signal stops at once), or with `burst` until the queues are empty.

    `in_process` keeps everything in this process and its signal handlers alone (tests).
    """
    if settings.TASK_BACKEND not in {"database", "rq"}:
        raise ValueError(f"The {settings.TASK_BACKEND} task backend runs tasks without a worker.")
    worker_id = worker_id or new_worker_id()
    running: set[UUID] | None = set() if settings.TASK_BACKEND == "database" else None
    housekeeping = Housekeeping(worker_id=worker_id, scheduler=scheduler, running=running)
    # Once before the first task, also in burst mode: due periodic runs and lost tasks go first.
    housekeeping.tick()
    if not burst:
        housekeeping.start()
    try:
        if running is not None:
            _run_database_worker(
                queues=queues,
                burst=burst,
                interval=interval,
                worker_id=worker_id,
                running=running,
                in_process=in_process,
            )
        else:
            _run_rq_worker(queues=queues, burst=burst, in_process=in_process)
    finally:
        housekeeping.stop()


def _run_database_worker(
    *,
    queues: list[str] | None,
    burst: bool,
    interval: float,
    worker_id: str,
    running: set[UUID],
    in_process: bool,
) -> None:
    worker = DatabaseWorker(
        queue_names=queues or ["*"],
        interval=interval,
        batch=burst,
        backend_name="default",
        startup_delay=not burst and not in_process,
        max_tasks=None,
        worker_id=worker_id[:64],
        excluded_queue_names=[],
        running=running,
    )
    if not in_process:
        worker.configure_signals()
    try:
        worker.run()
    finally:
        if not in_process:
            worker.reset_signals()


def _run_rq_worker(*, queues: list[str] | None, burst: bool, in_process: bool) -> None:
    import django_rq

    from civicdesk.core.rq import InProcessRQWorker, Job, RQWorker, monitoring_interval

    names = queues or sorted(task_backends["default"].queues)
    worker_class: type[Any] = InProcessRQWorker if in_process else RQWorker
    worker = django_rq.get_worker(
        *names,
        job_class=Job,
        worker_class=worker_class,
        job_monitoring_interval=monitoring_interval(),
    )
    if not in_process:
        # Each job runs in a forked child, which must not share this process's connections.
        connections.close_all()
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker.work(
            burst=burst,
            with_scheduler=True,
            logging_level=logging.getLevelName(logging.getLogger().getEffectiveLevel()),
        )
    finally:
        if in_process:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
