"""System checks on the catalog's SLA set-up (`civicdesk check`).

They read the database, so they stay quiet when it is not there yet: a fresh checkout, or CI
running `civicdesk check --fail-level WARNING` before `migrate`, has nothing to warn about.
"""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db import DatabaseError, connection

from civicdesk.catalog.choices import ServiceKind, SlaUnit
from civicdesk.catalog.models import BusinessCalendar, ServiceType

NO_SLA_TARGET = "catalog.W001"
NO_CALENDAR = "catalog.W002"


def _tables_exist() -> bool:
    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError:
        return False
    return {ServiceType._meta.db_table, BusinessCalendar._meta.db_table} <= tables


def sla_configuration_check(
    *,
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[checks.CheckMessage]:
    """Warn about active services with no SLA target, and business-hour targets with no
    calendar to count them on (their own, their department's or the default).

    Blackbox services (Open311 `type` blackbox: no request id, nothing to track) have no SLA
    by design and are not named.
    """
    if app_configs is not None and not any(c.label == "catalog" for c in app_configs):
        return []
    if not _tables_exist():
        return []
    try:
        active = ServiceType.objects.filter(is_active=True).exclude(kind=ServiceKind.BLACKBOX)
        without_target = list(
            active.filter(sla_value__isnull=True).order_by("code").values_list("code", "name")
        )
        has_default = BusinessCalendar.objects.filter(is_default=True).exists()
        uncounted = (
            []
            if has_default
            else list(
                active.filter(
                    sla_unit=SlaUnit.BUSINESS_HOURS,
                    calendar__isnull=True,
                    default_department__calendar__isnull=True,
                )
                .order_by("code")
                .values_list("code", "name")
            )
        )
    except DatabaseError:
        return []
    messages: list[checks.CheckMessage] = [
        checks.Warning(
            f"Service type {code!r} ({name}) is active but has no SLA target.",
            hint=(
                "Give it a target in the catalog (sla: {value: ..., unit: ...}), or make it a "
                "blackbox service if it is not tracked by design. See docs/sla.md."
            ),
            id=NO_SLA_TARGET,
        )
        for code, name in without_target
    ]
    messages += [
        checks.Warning(
            f"Service type {code!r} ({name}) counts its SLA in business hours but neither it "
            "nor its department has a calendar, and there is no default calendar.",
            hint=(
                "Give it or its department a calendar, or mark one calendar as the default. "
                "See docs/sla.md."
            ),
            id=NO_CALENDAR,
        )
        for code, name in uncounted
    ]
    return messages
