"""Catalog querysets whose bulk writes mark the catalog as changed, as single saves do."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def _changed() -> None:
    from civicdesk.catalog.cache import catalog_changed

    catalog_changed()


class CatalogQuerySet(models.QuerySet[M]):
    def update(self, **kwargs: Any) -> int:
        count = super().update(**kwargs)
        if count:
            _changed()
        return count

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[M]:
        created = super().bulk_create(*args, **kwargs)
        _changed()
        return created

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        count = super().bulk_update(*args, **kwargs)
        _changed()
        return count
