"""Reads of the catalog for other apps: service lists, lookups by code, the reason tree."""

from django.db.models import Prefetch, QuerySet

from civicdesk.catalog.models import (
    AttributeValue,
    BusinessCalendar,
    ContactReason,
    Department,
    ServiceAttribute,
    ServiceType,
)


def _with_form(queryset: QuerySet[ServiceType]) -> QuerySet[ServiceType]:
    """Service types with everything a form or an Open311 definition needs, in fixed queries."""
    return queryset.select_related("default_department", "calendar").prefetch_related(
        Prefetch(
            "attributes",
            queryset=ServiceAttribute.objects.order_by("order", "code").prefetch_related(
                Prefetch("values", queryset=AttributeValue.objects.order_by("order", "key"))
            ),
        )
    )


def service_type_list_public() -> QuerySet[ServiceType]:
    """Active public service types (the Open311 service list), attributes and values prefetched."""
    return _with_form(ServiceType.objects.filter(is_active=True, is_public=True)).order_by(
        "group", "name", "code"
    )


def service_type_list_active() -> QuerySet[ServiceType]:
    """Every active service type, public or not (staff pick lists), with attributes prefetched."""
    return _with_form(ServiceType.objects.filter(is_active=True)).order_by("group", "name", "code")


def service_type_get_by_code(code: str, *, include_inactive: bool = False) -> ServiceType | None:
    """The service type with this code with its attributes and values, or None.

    Inactive types are left out unless asked for: historical imports and old cases still need
    them, new requests do not.
    """
    queryset = ServiceType.objects.filter(code=code)
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return _with_form(queryset).first()


def service_type_groups() -> list[str]:
    """The distinct non-blank groups of active public service types, sorted."""
    groups = (
        ServiceType.objects.filter(is_active=True, is_public=True)
        .exclude(group="")
        .values_list("group", flat=True)
        .distinct()
    )
    return sorted(groups)


def department_get_by_code(code: str) -> Department | None:
    """The department with this code, active or not, or None."""
    return Department.objects.filter(code=code).first()


def department_list_active() -> QuerySet[Department]:
    """Active departments by name."""
    return Department.objects.filter(is_active=True).order_by("name")


def calendar_get_default() -> BusinessCalendar | None:
    """The default business calendar, or None when the catalog has none."""
    return BusinessCalendar.objects.filter(is_default=True).prefetch_related("holidays").first()


def contact_reason_list_active() -> QuerySet[ContactReason]:
    """Active contact reasons with their parent, department and service type joined."""
    return (
        ContactReason.objects.filter(is_active=True)
        .select_related("parent", "department", "service_type")
        .order_by("parent__name", "name")
    )


def contact_reason_get_by_code(code: str) -> ContactReason | None:
    """The contact reason with this code, active or not, or None."""
    return ContactReason.objects.filter(code=code).select_related("parent").first()


def contact_reason_tree() -> list[tuple[ContactReason, list[ContactReason]]]:
    """Active top-level reasons, each with its active children, both sorted by name.

    Children whose parent is inactive are left out with it, so a pick list never shows orphans.
    """
    reasons = list(contact_reason_list_active())
    children: dict[int, list[ContactReason]] = {}
    for reason in reasons:
        if reason.parent_id is not None:
            children.setdefault(reason.parent_id, []).append(reason)
    roots = sorted((r for r in reasons if r.parent_id is None), key=lambda r: r.name)
    return [(root, sorted(children.get(root.pk, []), key=lambda r: r.name)) for root in roots]
