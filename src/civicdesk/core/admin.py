from django.contrib import admin

from civicdesk.core.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    list_display = ["backend", "beat_at", "worker_info"]
    readonly_fields = ["backend", "beat_at", "worker_info"]

    def has_add_permission(self, request: object) -> bool:
        return False
