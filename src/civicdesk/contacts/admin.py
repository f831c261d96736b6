from django.contrib import admin

from civicdesk.contacts.models import Contact, ContactCase


class ContactCaseInline(admin.TabularInline[ContactCase, Contact]):
    model = ContactCase
    extra = 0
    raw_id_fields = ["case"]
    readonly_fields = ["case", "role"]
    can_delete = False

    def has_add_permission(self, request: object, obj: Contact | None = None) -> bool:
        return False


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    """Contacts are written by the intake service; the admin reads and annotates them."""

    list_display = [
        "id",
        "emergency",
        "emergency_category",
        "started_at",
        "channel",
        "direction",
        "reason",
        "service_type",
        "agent",
    ]
    list_filter = [
        "emergency",
        "emergency_category",
        "channel",
        "direction",
        "reason",
        "service_type__group",
        "language",
    ]
    # Emergencies first, as in the staff queue (contacts_emergency_first).
    ordering = ["-emergency", "-started_at", "-id"]
    date_hierarchy = "started_at"
    search_fields = ["summary", "case_links__case__reference"]
    list_select_related = ["reason", "service_type", "agent"]
    raw_id_fields = ["resident", "agent", "reason", "service_type"]
    readonly_fields = ["channel", "direction", "started_at", "created_at", "resident"]
    inlines = [ContactCaseInline]

    def has_add_permission(self, request: object) -> bool:
        return False
