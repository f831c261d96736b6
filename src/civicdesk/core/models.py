"""Operational state of the deployment itself."""

from django.db import models


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
