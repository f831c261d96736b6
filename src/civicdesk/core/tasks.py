import os
import socket

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from civicdesk.core.models import WorkerHeartbeat


@task()
def worker_heartbeat() -> str:
    """Proves a worker is consuming the queue: the health page shows how long ago this ran."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        backend=settings.TASK_BACKEND,
        defaults={"beat_at": now, "worker_info": f"{socket.gethostname()} pid {os.getpid()}"},
    )
    return now.isoformat()
