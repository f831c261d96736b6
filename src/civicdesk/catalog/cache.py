"""The active service types, their forms and departments, held per process for intake.

Every new request reads its service type's form; loading it costs three queries, more than
writing the case. The copy is rebuilt when the catalog revision moves: catalog writes bump it
(the import service, and the model signals below for admin edits), and readers check it at most
every `CIVICDESK_CATALOG_CACHE_CHECK_SECONDS`. The instances are shared: read them, never change
them.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from civicdesk.catalog.models import (
    AttributeValue,
    BusinessCalendar,
    ContactReason,
    Department,
    Holiday,
    ServiceAttribute,
    ServiceType,
)
from civicdesk.catalog.selectors import service_type_list_active
from civicdesk.core.revisions import CATALOG, RevisionMemo, revision_bump

CATALOG_MODELS = (
    AttributeValue,
    BusinessCalendar,
    ContactReason,
    Department,
    Holiday,
    ServiceAttribute,
    ServiceType,
)


def _load() -> dict[str, ServiceType]:
    return {service.code: service for service in service_type_list_active()}


_active = RevisionMemo(
    CATALOG,
    _load,
    check_seconds=lambda: float(getattr(settings, "CIVICDESK_CATALOG_CACHE_CHECK_SECONDS", 2.0)),
)


def service_type_active_get(code: str) -> ServiceType | None:
    """The active service type with this code, its form and department loaded, or None."""
    return _active.get().get(code)


def catalog_changed() -> None:
    """Record a catalog write: call inside the writing transaction."""
    revision_bump(CATALOG)
    _active.clear()
    transaction.on_commit(_active.clear)


def _on_catalog_write(sender: Any, **kwargs: Any) -> None:
    catalog_changed()


def catalog_signals_connect() -> None:
    for model in CATALOG_MODELS:
        post_save.connect(_on_catalog_write, sender=model, dispatch_uid=f"catalog-{model.__name__}")
        post_delete.connect(
            _on_catalog_write, sender=model, dispatch_uid=f"catalog-del-{model.__name__}"
        )
