"""Reads about the deployment's health."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

from civicdesk.core.models import WorkerHeartbeat

HEARTBEAT_STALE_AFTER = timedelta(minutes=2)
HEARTBEAT_REQUEST_EVERY_SECONDS = 30


@dataclass(frozen=True)
class Health:
    database_ok: bool
    database_vendor: str
    task_backend: str
    queue_ok: bool
    last_heartbeat: datetime | None

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
    )
