"""Admin for what staff set on the portal: the site alert, top tasks and search synonyms."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicdesk.portal.models import SearchSynonym, SiteAlert, TopTask


@admin.register(SiteAlert)
class SiteAlertAdmin(admin.ModelAdmin[SiteAlert]):
    list_display = ("__str__", "level", "is_active", "starts_at", "ends_at", "updated_at")
    list_filter = ("level", "is_active")
    list_editable = ("is_active",)
    search_fields = ("heading_en", "heading_es", "message_en", "message_es")
    fieldsets = (
        (None, {"fields": ("level", "is_active", ("starts_at", "ends_at"))}),
        (_("English"), {"fields": ("heading_en", "message_en")}),
        (_("Spanish"), {"fields": ("heading_es", "message_es")}),
        (None, {"fields": ("link_url",)}),
    )
    actions = ("switch_on", "switch_off")

    @admin.action(description=_("Switch the selected alerts on"))
    def switch_on(self, request: HttpRequest, queryset: QuerySet[SiteAlert]) -> None:
        count = queryset.update(is_active=True)
        self.message_user(
            request,
            ngettext("%d alert switched on.", "%d alerts switched on.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Switch the selected alerts off"))
    def switch_off(self, request: HttpRequest, queryset: QuerySet[SiteAlert]) -> None:
        count = queryset.update(is_active=False)
        self.message_user(
            request,
            ngettext("%d alert switched off.", "%d alerts switched off.", count) % count,
            messages.SUCCESS,
        )


@admin.register(TopTask)
class TopTaskAdmin(admin.ModelAdmin[TopTask]):
    list_display = ("__str__", "service_type", "url", "position", "pinned", "hidden")
    list_editable = ("position", "pinned", "hidden")
    list_filter = ("pinned", "hidden")
    list_select_related = ("service_type",)
    autocomplete_fields = ("service_type",)
    search_fields = ("title_en", "title_es", "url", "service_type__name", "service_type__code")
    fieldsets = (
        (
            None,
            {
                "fields": (("service_type", "url"), ("pinned", "position"), "hidden"),
                "description": _(
                    "Pinned tasks always show first, by position. The rest of the home page's "
                    "top tasks are the most requested services; an unpinned row for a service "
                    "changes its title there, or keeps it out with “never suggest”."
                ),
            },
        ),
        (_("English"), {"fields": ("title_en", "description_en")}),
        (_("Spanish"), {"fields": ("title_es", "description_es")}),
    )


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin[SearchSynonym]):
    list_display = ("terms",)
    search_fields = ("terms",)
