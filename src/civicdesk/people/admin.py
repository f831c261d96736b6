"""Staff view of residents. Personal data: only staff with the people permissions see it."""

from django.contrib import admin
from django.http import HttpRequest

from civicdesk.people.models import ContactPoint, Resident


class ContactPointInline(admin.TabularInline[ContactPoint, Resident]):
    model = ContactPoint
    extra = 0
    fields = (
        "kind",
        "value",
        "verified_at",
        "consent_updates",
        "consent_surveys",
        "consent_alerts",
        "created_at",
    )
    readonly_fields = ("kind", "value", "verified_at", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Resident | None = None) -> bool:
        # Contact points are added through the intake services, which normalize them.
        return False


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin[Resident]):
    list_display = ("id", "first_name", "last_name", "preferred_language", "created_at")
    list_filter = ("preferred_language",)
    search_fields = ("last_name", "first_name", "contact_points__value")
    readonly_fields = ("created_at", "updated_at")
    inlines = (ContactPointInline,)
    show_full_result_count = False
