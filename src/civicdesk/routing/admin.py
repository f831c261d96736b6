"""Admin for routing: the classifier versions, their figures, and which one is active.

Versions are made by `civicdesk routing train`; here staff read how each scored and switch
between them (or switch classification off), which every process follows within seconds.
"""

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civicdesk.routing.models import ClassifierVersion, RoutingRule
from civicdesk.routing.rules import routing_rule_delete, routing_rule_save
from civicdesk.routing.selectors import classifier_version_list
from civicdesk.routing.services import classifier_deactivate, classifier_version_activate


@admin.register(ClassifierVersion)
class ClassifierVersionAdmin(admin.ModelAdmin[ClassifierVersion]):
    list_display = (
        "number",
        "created_at",
        "source",
        "label_count",
        "macro_f1",
        "accuracy",
        "top3_accuracy",
        "size_bytes",
        "is_active",
    )
    list_filter = ("is_active", "source")
    fields = (
        ("number", "is_active", "activated_at"),
        ("created_at", "source"),
        "description",
        "labels",
        "languages",
        "metrics_pretty",
        "params",
        ("model_format", "size_bytes"),
    )
    readonly_fields = (
        "number",
        "is_active",
        "activated_at",
        "created_at",
        "source",
        "description",
        "labels",
        "languages",
        "metrics_pretty",
        "params",
        "model_format",
        "size_bytes",
    )
    actions = ("activate", "deactivate")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClassifierVersion]:
        return classifier_version_list()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting the active version would leave other processes serving it from memory.
        if obj is not None and obj.is_active:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Nothing on a version is edited by hand: it is trained, then activated or not.
        read_only = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, read_only | (extra_context or {}))

    @admin.display(description=_("service types"))
    def label_count(self, version: ClassifierVersion) -> int:
        return len(version.labels)

    @admin.display(description=_("macro-F1"))
    def macro_f1(self, version: ClassifierVersion) -> Any:
        return version.metric("macro_f1")

    @admin.display(description=_("accuracy"))
    def accuracy(self, version: ClassifierVersion) -> Any:
        return version.metric("accuracy")

    @admin.display(description=_("top-3 accuracy"))
    def top3_accuracy(self, version: ClassifierVersion) -> Any:
        return version.metric("top3_accuracy")

    @admin.display(description=_("metrics"))
    def metrics_pretty(self, version: ClassifierVersion) -> str:
        return format_html("<pre>{}</pre>", json.dumps(version.metrics, indent=2))

    @admin.action(
        description=_("Make the selected version the active one"), permissions=("change",)
    )
    def activate(self, request: HttpRequest, queryset: QuerySet[ClassifierVersion]) -> None:
        versions = list(queryset[:2])
        if len(versions) != 1:
            self.message_user(request, _("Select exactly one version."), messages.ERROR)
            return
        classifier_version_activate(version=versions[0])
        self.message_user(
            request,
            _("Classifier version %(number)s is active.") % {"number": versions[0].number},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Switch classification off (every text to triage)"), permissions=("change",)
    )
    def deactivate(self, request: HttpRequest, queryset: QuerySet[ClassifierVersion]) -> None:
        version = classifier_deactivate()
        if version is None:
            self.message_user(request, _("No classifier was active."), messages.WARNING)
            return
        self.message_user(
            request,
            _("Classifier version %(number)s switched off.") % {"number": version.number},
            messages.SUCCESS,
        )


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    """Department rules; every save and delete moves the catalog revision, so every process
    routes by the new rules within `CIVICDESK_CATALOG_CACHE_CHECK_SECONDS`."""

    list_display = (
        "service_type",
        "district",
        "out_of_hours",
        "department",
        "priority",
        "is_active",
        "note",
    )
    list_display_links = ("service_type", "district")
    list_editable = ("priority", "is_active")
    list_filter = ("is_active", "out_of_hours", "department", "service_type", "district")
    list_select_related = ("service_type", "district", "department")
    ordering = ("service_type__name", "district__name", "-out_of_hours", "priority", "id")
    search_fields = ("service_type__name", "service_type__code", "district__name", "note")
    fields = (
        ("service_type", "district"),
        "out_of_hours",
        "department",
        ("priority", "is_active"),
        "note",
    )

    def save_model(self, request: HttpRequest, obj: RoutingRule, form: Any, change: bool) -> None:
        routing_rule_save(rule=obj)

    def delete_model(self, request: HttpRequest, obj: RoutingRule) -> None:
        routing_rule_delete(rule=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoutingRule]) -> None:
        for rule in queryset:
            routing_rule_delete(rule=rule)
