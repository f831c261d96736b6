"""Staff view of residents. Personal data: only staff with the people permissions see it."""

from django.contrib import admin
from django.http import HttpRequest

from civicdesk.people.models import (
    CaseFollow,
    ContactPoint,
    Resident,
    ResidentAccount,
    SavedAddress,
)


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


class ResidentAccountInline(admin.StackedInline[ResidentAccount, Resident]):
    model = ResidentAccount
    extra = 0
    fields = ("is_active", "created_at", "last_signed_in_at")
    readonly_fields = ("created_at", "last_signed_in_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Resident | None = None) -> bool:
        # Accounts are opened by the resident, with a sign-in link sent to their email.
        return False


class SavedAddressInline(admin.TabularInline[SavedAddress, Resident]):
    model = SavedAddress
    extra = 0
    fields = ("label", "address", "district", "created_at")
    readonly_fields = ("label", "address", "district", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Resident | None = None) -> bool:
        return False


class CaseFollowInline(admin.TabularInline[CaseFollow, Resident]):
    model = CaseFollow
    extra = 0
    fields = ("case", "channel", "confirmed_at", "ended_at")
    readonly_fields = ("case", "channel", "confirmed_at", "ended_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Resident | None = None) -> bool:
        # A follow needs the resident's own confirmation.
        return False


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin[Resident]):
    list_display = ("id", "first_name", "last_name", "preferred_language", "created_at")
    list_filter = ("preferred_language", "preferred_channel")
    search_fields = ("last_name", "first_name", "contact_points__value")
    readonly_fields = ("created_at", "updated_at")
    inlines = (ContactPointInline, ResidentAccountInline, SavedAddressInline, CaseFollowInline)
    show_full_result_count = False
