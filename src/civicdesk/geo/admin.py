"""Staff view of the loaded areas; boundaries change only through `civicdesk geo import`."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civicdesk.geo.models import Area


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
