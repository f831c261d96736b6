"""Admin for the catalog: what a catalog editor needs to find and fix a service quickly.

Bulk changes belong in the catalog document (`civicdesk catalog import`); the admin is for
one-off corrections, and its changes show up in the next export.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from civicdesk.catalog.models import (
    AttributeValue,
    BusinessCalendar,
    ContactReason,
    Department,
    Holiday,
    Provider,
    ServiceAttribute,
    ServiceType,
)


class HolidayInline(admin.TabularInline[Holiday, BusinessCalendar]):
    model = Holiday
    extra = 1


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin[BusinessCalendar]):
    list_display = ("name", "code", "timezone", "is_default")
    search_fields = ("name", "code")
    inlines = (HolidayInline,)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ("name", "code", "supervisor", "email", "phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "name_es", "code", "email")
    list_select_related = ("supervisor",)
    autocomplete_fields = ("supervisor",)
    # A web address typed without a scheme is the department's site over HTTPS.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = (
        ("code", "is_active"),
        ("name", "name_es"),
        ("description", "description_es"),
        ("hours", "hours_es"),
        "address",
        ("email", "phone", "url"),
        ("supervisor", "calendar"),
    )


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin[Provider]):
    list_display = ("name", "code", "department", "is_active")
    list_filter = ("is_active", "department")
    search_fields = ("name", "code")
    list_select_related = ("department",)
    autocomplete_fields = ("department",)


class ServiceAttributeInline(admin.StackedInline[ServiceAttribute, ServiceType]):
    model = ServiceAttribute
    extra = 0
    fields = (
        ("code", "order"),
        "description",
        "description_es",
        ("datatype", "required", "variable"),
        "datatype_description",
        "datatype_description_es",
    )
    show_change_link = True


class AttributeValueInline(admin.TabularInline[AttributeValue, ServiceAttribute]):
    model = AttributeValue
    extra = 1


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin[ServiceType]):
    list_display = (
        "name",
        "code",
        "group",
        "default_department",
        "kind",
        "sla_value",
        "sla_unit",
        "attribute_count",
        "is_active",
        "is_public",
    )
    list_filter = ("default_department", "group", "kind", "sla_unit", "is_active", "is_public")
    search_fields = ("name", "name_es", "code", "description", "group")
    list_select_related = ("default_department",)
    autocomplete_fields = ("default_department",)
    inlines = (ServiceAttributeInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceType]:
        return super().get_queryset(request).annotate(attribute_total=Count("attributes"))

    @admin.display(description="Questions", ordering="attribute_total")
    def attribute_count(self, obj: ServiceType) -> int:
        return int(getattr(obj, "attribute_total", 0))


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin[ServiceAttribute]):
    list_display = ("code", "service_type", "datatype", "required", "variable", "order")
    list_filter = ("datatype", "required", "service_type__group")
    search_fields = ("code", "description", "service_type__code", "service_type__name")
    list_select_related = ("service_type",)
    autocomplete_fields = ("service_type",)
    inlines = (AttributeValueInline,)


@admin.register(ContactReason)
class ContactReasonAdmin(admin.ModelAdmin[ContactReason]):
    list_display = ("name", "code", "parent", "department", "service_type", "is_active")
    list_filter = ("is_active", "parent", "department")
    search_fields = ("name", "code", "description")
    list_select_related = ("parent", "department", "service_type")
    autocomplete_fields = ("parent", "department", "service_type")
