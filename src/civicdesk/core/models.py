"""Operational state of the deployment itself."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time a background worker ran a task, per task backend; the health page reads it."""

    backend = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()
    worker_info = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.backend} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class DataRevision(models.Model):
    """A revision per kind of data, changed by every write to it inside the writing transaction.

    Per-process caches key what they hold by the counter, so a reader that sees the new value
    also sees the data it stands for, on every process and every database.
    """

    name = models.CharField(max_length=64, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} @ {self.value}"


class PeriodicRun(models.Model):
    """One period of one periodic task, claimed by the worker that enqueued its run.

    The unique (task, period start) row is what makes a period run once however many workers
    and hosts run the scheduler: the first insert wins, the others skip.
    """

    task_path = models.CharField(max_length=200)
    period_start = models.DateTimeField()
    enqueued_at = models.DateTimeField()
    result_id = models.CharField(max_length=64, blank=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task_path", "period_start"], name="core_periodic_run_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_path} @ {self.period_start:%Y-%m-%d %H:%M:%S}"


class TaskLease(models.Model):
    """A running task's lease, renewed by the live worker that runs it (database task backend).

    A task still marked running whose lease has lapsed was left by a dead worker and is queued
    again.
    """

    result_id = models.UUIDField(primary_key=True)
    worker_id = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.result_id} by {self.worker_id} until {self.expires_at:%H:%M:%S}"


class FailedTask(models.Model):
    """No table: the admin's entry for failed background tasks, read from the active backend
    (civicdesk.core.selectors.failed_tasks_list), and the permissions to see and retry them."""

    class Meta:
        managed = False
        default_permissions = ("view", "change")
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
