from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _forget_cached_areas(**_kwargs: Any) -> None:
    from civicdesk.geo.selectors import area_index_clear

    area_index_clear()


class GeoConfig(AppConfig):
    name = "civicdesk.geo"
    label = "geo"

    def ready(self) -> None:
        # `flush` (run between transactional tests) and `migrate` empty or rebuild the areas
        # table behind the in-process index's back; both send post_migrate.
        post_migrate.connect(_forget_cached_areas, dispatch_uid="civicdesk.geo.area_index")
