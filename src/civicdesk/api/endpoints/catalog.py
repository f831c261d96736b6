"""/catalog: the service catalog staff pick from: service types, departments, contact reasons."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.params import functions as params

from civicdesk.api.auth import require_perm
from civicdesk.api.errors import COMMON_ERRORS, not_found, responses
from civicdesk.api.presenters import contact_reason_out, department_out, service_type_out
from civicdesk.api.schemas import Code, ContactReasonOut, DepartmentOut, ServiceTypeOut
from civicdesk.catalog.selectors import (
    contact_reason_list_active,
    department_list_active,
    service_type_get_by_code,
    service_type_list_active,
)

router = Router(tags=["catalog"])


@router.get(
    "/service-types",
    response={200: list[ServiceTypeOut], **COMMON_ERRORS},
    summary="Active service types",
)
def list_service_types(request: HttpRequest) -> list[dict[str, Any]]:
    """Every active service type, public or staff-only, with its attributes.
    Needs `catalog.view_servicetype`."""
    require_perm(request, "catalog.view_servicetype")
    return [service_type_out(item) for item in service_type_list_active()]


@router.get(
    "/service-types/{code}",
    response={200: ServiceTypeOut, **COMMON_ERRORS, **responses(404)},
    summary="One service type",
)
def get_service_type(request: HttpRequest, code: Code = params.Path(...)) -> dict[str, Any]:  # noqa: B008
    """An active service type with its attributes and their values."""
    require_perm(request, "catalog.view_servicetype")
    service_type = service_type_get_by_code(code)
    if service_type is None:
        raise not_found(f"Service type {code}")
    return service_type_out(service_type)


@router.get(
    "/departments",
    response={200: list[DepartmentOut], **COMMON_ERRORS},
    summary="Active departments",
)
def list_departments(request: HttpRequest) -> list[dict[str, Any]]:
    """Departments by name. Needs `catalog.view_department`."""
    require_perm(request, "catalog.view_department")
    return [department_out(item) for item in department_list_active()]


@router.get(
    "/contact-reasons",
    response={200: list[ContactReasonOut], **COMMON_ERRORS},
    summary="Active contact reasons",
)
def list_contact_reasons(request: HttpRequest) -> list[dict[str, Any]]:
    """The reasons an agent logs a contact under, with their parent code.
    Needs `catalog.view_contactreason`."""
    require_perm(request, "catalog.view_contactreason")
    return [contact_reason_out(item) for item in contact_reason_list_active()]
