from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.catalog.models import ContactReason, ServiceType
from civicdesk.contacts.models import Contact, ContactCase
from civicdesk.contacts.selectors import contacts_awaiting_triage
from civicdesk.contacts.services import contact_triage_resolve

TRIAGE_PAGE = 50


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
    readonly_fields = [
        "channel",
        "direction",
        "started_at",
        "created_at",
        "resident",
        "classified_text",
        "classification",
        "classified_at",
        "triage_since",
        "triaged_at",
        "triaged_by",
    ]
    inlines = [ContactCaseInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "triage/",
                self.admin_site.admin_view(self.triage_view),
                name="contacts_contact_triage",
            ),
            path(
                "triage/<int:contact_id>/",
                self.admin_site.admin_view(self.triage_resolve_view),
                name="contacts_contact_triage_resolve",
            ),
            *super().get_urls(),
        ]

    def triage_view(self, request: HttpRequest) -> HttpResponse:
        """The triage queue: contacts the classifier could not route, oldest first, with what
        the resident wrote and the classifier's three likeliest service types."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        queue = contacts_awaiting_triage()
        services = list(
            ServiceType.objects.filter(is_active=True).only("code", "name").order_by("name")
        )
        names = {service.code: service.name for service in services}
        rows = [
            {
                "contact": contact,
                "top": [
                    {"code": code, "name": names[code], "percent": round(confidence * 100)}
                    for code, confidence in contact.classification.get("top", [])
                    if code in names
                ],
            }
            for contact in queue[:TRIAGE_PAGE]
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Triage: what are these contacts about?"),
            "opts": self.opts,
            "rows": rows,
            "count": queue.count(),
            "services": services,
            "reasons": ContactReason.objects.filter(is_active=True).only("code", "name"),
            "changelist_url": reverse("admin:contacts_contact_changelist"),
        }
        return TemplateResponse(request, "admin/contacts/contact/triage.html", context)

    @staticmethod
    def _pick(model: Any, value: str) -> Any:
        if not value:
            return None
        return model.objects.filter(code=value, is_active=True).first()

    def triage_resolve_view(self, request: HttpRequest, contact_id: int) -> HttpResponse:
        return require_POST(self._triage_resolve)(request, contact_id)

    def _triage_resolve(self, request: HttpRequest, contact_id: int) -> HttpResponse:
        contact = get_object_or_404(Contact, pk=contact_id)
        if not self.has_change_permission(request, contact):
            raise PermissionDenied
        # A click on one of the classifier's suggestions, else what was picked in the list.
        chosen_code = request.POST.get("suggested") or request.POST.get("service_type", "")
        service_type = self._pick(ServiceType, chosen_code)
        reason = self._pick(ContactReason, request.POST.get("reason", ""))
        try:
            contact_triage_resolve(
                contact=contact,
                service_type=service_type,
                reason=reason,
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            chosen = service_type.name if service_type else reason.name if reason else ""
            self.message_user(
                request,
                _("Contact #%(id)s: %(chosen)s.") % {"id": contact.pk, "chosen": chosen},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:contacts_contact_triage"))
