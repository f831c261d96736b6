"""Staff views of the jurisdictions served, of API keys (list, revoke; the secret is never
stored, so never shown) and of batch submissions waiting for or done by the worker."""

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civicdesk.open311.models import ApiKey, BatchSubmission, Jurisdiction
from civicdesk.open311.services import apikey_revoke


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin[Jurisdiction]):
    """Edits here reach every web process within seconds: the model signals bump the catalog
    revision (see `civicdesk.open311.jurisdictions`)."""

    list_display = ["jurisdiction_id", "name", "boundary", "service_count", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["jurisdiction_id", "name"]
    fields = ["jurisdiction_id", "name", "is_active", "boundary", "services", "created_at"]
    readonly_fields = ["created_at"]
    filter_horizontal = ["services"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Jurisdiction]:
        return (
            super()
            .get_queryset(request)
            .select_related("boundary")
            .annotate(service_count=Count("services"))
        )

    @admin.display(description=_("services"), ordering="service_count")
    def service_count(self, jurisdiction: Jurisdiction) -> int:
        return int(getattr(jurisdiction, "service_count", 0))


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    list_display = [
        "name",
        "prefix",
        "rate_limit_per_minute",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "contact_email"]
    fields = [
        "name",
        "prefix",
        "rate_limit_per_minute",
        "contact_email",
        "note",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new key must be shown exactly once, which `civicdesk apikey create` does.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        # Revoked keys stay, so batch submissions and audits can still name their integrator.
        return False

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            apikey_revoke(key=key)
        self.message_user(request, f"Revoked {len(queryset)} key(s).", messages.SUCCESS)


@admin.register(BatchSubmission)
class BatchSubmissionAdmin(admin.ModelAdmin[BatchSubmission]):
    list_display = ["token", "service_code", "api_key", "created_at", "processed_at", "case"]
    list_filter = [("processed_at", admin.EmptyFieldListFilter)]
    search_fields = ["token", "service_code"]
    readonly_fields = [
        "token",
        "service_code",
        "jurisdiction",
        "api_key",
        "created_at",
        "processed_at",
        "case",
        "error",
    ]
    fields = tuple(readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: BatchSubmission | None = None
    ) -> bool:
        return False
