"""Named areas (jurisdiction boundary, districts, neighbourhoods) loaded from GeoJSON."""

from django.db import models

from civicdesk.geo.choices import AreaKind


class Area(models.Model):
    """A polygon or multipolygon with a name; the bounding box makes lookups cheap to filter."""

    kind = models.CharField(max_length=32, choices=AreaKind.choices)
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    geometry = models.JSONField(help_text="GeoJSON Polygon or MultiPolygon in WGS 84 (lon, lat).")
    properties = models.JSONField(default=dict, blank=True)
    min_long = models.FloatField()
    min_lat = models.FloatField()
    max_long = models.FloatField()
    max_lat = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="geo_area_unique_code")
        ]
        indexes = [models.Index(fields=["kind", "min_long", "max_long", "min_lat", "max_lat"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
