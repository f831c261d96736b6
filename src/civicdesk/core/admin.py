from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.core.models import FailedTask, WorkerHeartbeat
from civicdesk.core.selectors import failed_tasks_list
from civicdesk.core.services import failed_task_retry


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    list_display = ["backend", "beat_at", "worker_info"]
    readonly_fields = ["backend", "beat_at", "worker_info"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin[FailedTask]):
    """Failed background tasks of the active backend (database results or rq's failed jobs),
    with a retry button; seeing them needs core.view_failedtask, retrying core.change_failedtask."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="core_failedtask_changelist",
            ),
            path(
                "<str:task_id>/retry/",
                self.admin_site.admin_view(require_POST(self.retry_view)),
                name="core_failedtask_retry",
            ),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Failed tasks"),
            "failed_tasks": failed_tasks_list(),
            "can_retry": self.has_change_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/core/failedtask/change_list.html", context)

    def retry_view(self, request: HttpRequest, task_id: str) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        if failed_task_retry(task_id=task_id):
            self.message_user(request, _("The task is queued to run again."), messages.SUCCESS)
        else:
            self.message_user(
                request,
                _("That task is no longer a failed task; nothing was queued."),
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse("admin:core_failedtask_changelist"))
