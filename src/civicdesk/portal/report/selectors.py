"""Reads for the report flow: the map's extent."""

from django.db.models import Max, Min

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area


def jurisdiction_extent() -> tuple[float, float, float, float] | None:
    """(south, west, north, east) of the jurisdiction's boundary, to frame the map; None when
    no boundary is loaded. One query."""
    extent = Area.objects.filter(kind=AreaKind.JURISDICTION).aggregate(
        south=Min("min_lat"), west=Min("min_long"), north=Max("max_lat"), east=Max("max_long")
    )
    if extent["south"] is None:
        return None
    return (extent["south"], extent["west"], extent["north"], extent["east"])
