"""Health endpoints; the home page is the resident portal's (civicdesk.portal)."""

from datetime import datetime

from django.http import HttpRequest, JsonResponse

from civicdesk import __version__
from civicdesk.core.selectors import health_check


def live(request: HttpRequest) -> JsonResponse:
    """Liveness without touching the database: the process answers. Also the benchmarks' bare
    reference view, so it must stay this small."""
    return JsonResponse({"status": "ok"})


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and people: 200 while the database answers, else 503."""
    state = health_check()
    body = {
        "status": "ok" if state.database_ok and state.worker_ok else "degraded",
        "version": __version__,
        "database": {"ok": state.database_ok, "vendor": state.database_vendor},
        "tasks": {
            "backend": state.task_backend,
            "queue_ok": state.queue_ok,
            "worker_ok": state.worker_ok,
            "last_heartbeat": state.last_heartbeat.isoformat() if state.last_heartbeat else None,
            "periodic": [
                {
                    "task": periodic.task_path,
                    "every_seconds": periodic.every_seconds,
                    "last_enqueued_at": _iso(periodic.last_enqueued_at),
                    "last_finished_at": _iso(periodic.last_finished_at),
                    "last_status": periodic.last_status,
                }
                for periodic in state.periodic
            ],
        },
    }
    return JsonResponse(body, status=200 if state.database_ok else 503)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
