from django.contrib import admin

from civicdesk.intake.models import IdempotencyRecord


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin[IdempotencyRecord]):
    list_display = ["key", "contact", "created_at"]
    search_fields = ["key"]
    readonly_fields = ["key", "request_fingerprint", "contact", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: IdempotencyRecord | None = None) -> bool:
        return False
