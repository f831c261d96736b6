"""Staff view of the loaded areas and addresses; both change only through `civicdesk geo …`
imports."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civicdesk.geo.models import Address, Area


def _geometry_counts(geometry: Any) -> tuple[str, int, int]:
    if not isinstance(geometry, dict):
        return ("?", 0, 0)
    geometry_type = str(geometry.get("type", "?"))
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if geometry_type == "Polygon" else coordinates
    vertices = sum(len(ring) for polygon in polygons for ring in polygon)
    return (geometry_type, len(polygons), vertices)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ("name", "code", "kind", "geometry_summary", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    ordering = ("kind", "name")
    fields = (
        "kind",
        "code",
        "name",
        "geometry_summary",
        "bounding_box",
        "properties",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description=_("Geometry"))
    def geometry_summary(self, area: Area) -> str:
        geometry_type, polygons, vertices = _geometry_counts(area.geometry)
        return _("%(type)s: %(polygons)d polygon(s), %(vertices)d vertices") % {
            "type": geometry_type,
            "polygons": polygons,
            "vertices": vertices,
        }

    @admin.display(description=_("Bounding box (long, lat)"))
    def bounding_box(self, area: Area) -> str:
        return f"{area.min_long:.5f}, {area.min_lat:.5f} … {area.max_long:.5f}, {area.max_lat:.5f}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Boundaries arrive as whole files through the import service, which validates them.
        return False


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin[Address]):
    list_display = ("__str__", "city", "postcode", "district", "source")
    list_filter = ("source",)
    # The stored key is canonical ("25 sheridan street jamaica plain"), so search by its start.
    search_fields = ("^search_text", "^street_text")
    ordering = ("street_text", "number_value", "number")
    show_full_result_count = False
    fields = (
        "number",
        "street",
        "unit",
        "city",
        "postcode",
        "lat",
        "long",
        "district",
        "source",
        "external_id",
        "search_text",
        "street_text",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Address]:
        # The district's polygon is large and never shown here.
        return (
            super()
            .get_queryset(request)
            .select_related("district")
            .defer("district__geometry", "district__properties")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Addresses arrive through `civicdesk geo addresses import`, which normalizes them.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Address | None = None) -> bool:
        return False
