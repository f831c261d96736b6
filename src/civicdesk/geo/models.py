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


class Address(models.Model):
    """A street address point of the local gazetteer, for address search and reverse lookup.

    Imported from OpenAddresses-format files (`civicdesk geo addresses import`); `search_text`
    and `street_text` are the canonical forms (`civicdesk.geo.normalize`) that the indexed
    prefix search matches, and `number_value` orders the houses of a street.
    """

    number = models.CharField(max_length=32)
    street = models.CharField(max_length=200)
    unit = models.CharField(max_length=64, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    search_text = models.CharField(
        max_length=255, db_index=True, help_text="Canonical 'number street city', for search."
    )
    street_text = models.CharField(
        max_length=255, db_index=True, help_text="Canonical 'street city', for search."
    )
    number_value = models.PositiveIntegerField(
        default=0, help_text="Leading integer of the house number (0 when it has none)."
    )
    lat = models.FloatField()
    long = models.FloatField()
    district = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="addresses"
    )
    source = models.CharField(max_length=32, help_text="Which file or publisher it came from.")
    external_id = models.CharField(max_length=128, help_text="Its id in that source.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="geo_address_unique_source_id"
            )
        ]
        indexes = [
            models.Index(fields=["street_text", "number_value"], name="geo_address_street_number"),
            models.Index(fields=["lat", "long"], name="geo_address_lat_long"),
        ]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return " ".join(part for part in (self.number, self.street, self.unit) if part)
