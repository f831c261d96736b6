"""Operational state of the deployment itself."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a background worker ran a task, per task backend; the health page reads it."""

    backend = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()
    worker_info = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.backend} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
