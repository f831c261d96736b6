"""One error shape for the whole API, and the mapping from domain exceptions to status codes.

Every error is `{"detail": "...", "errors": {"field": ["message", ...]}}` so a client needs one
parser; the OpenAPI document declares it for each status an operation can return.
"""

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from civicdesk.cases.status import TransitionError

# Parts of a ninja error location that name where a value came from, not the field itself.
_LOCATION_SOURCES = frozenset({"body", "query", "path", "header", "form", "file", "cookie"})


class ErrorOut(Schema):
    """What went wrong, for a person, and which fields were at fault, for a program."""

    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class ApiError(Exception):
    """An error an endpoint raises on purpose, with its status and field messages."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = {field: list(messages) for field, messages in (errors or {}).items()}


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} was not found.")


def bad_filter(field: str, message: str) -> ApiError:
    return ApiError(400, "The request has an invalid parameter.", {field: [message]})


def responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The documented error responses of an operation, merged into its `response=`."""
    return dict.fromkeys(statuses, ErrorOut)


# Every authenticated operation can answer these: bad parameters, no credentials, no permission.
COMMON_ERRORS = responses(400, 401, 403)


def _body(detail: str, errors: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": dict(errors or {})}


def _field_name(location: Iterable[Any]) -> str:
    parts = [str(part) for part in location]
    while parts and parts[0] in _LOCATION_SOURCES:
        parts.pop(0)
    # A body schema passed as a single argument adds its parameter name in front.
    if len(parts) > 1 and parts[0] in {"payload", "filters"}:
        parts.pop(0)
    return ".".join(parts) or "__all__"


def _on_ninja_validation(
    request: HttpRequest, exc: NinjaValidationError, *, api: NinjaAPI
) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return api.create_response(
        request, _body("The request does not match the API schema.", errors), status=400
    )


def _on_django_validation(
    request: HttpRequest, exc: DjangoValidationError, *, api: NinjaAPI
) -> HttpResponse:
    errors = (
        {field: list(messages) for field, messages in exc.message_dict.items()}
        if hasattr(exc, "error_dict")
        else {"__all__": list(exc.messages)}
    )
    return api.create_response(
        request, _body("The request could not be processed.", errors), status=422
    )


def _on_transition(request: HttpRequest, exc: TransitionError, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, _body(str(exc), {"to_status": [str(exc)]}), status=409)


def _on_api_error(request: HttpRequest, exc: ApiError, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, _body(exc.detail, exc.errors), status=exc.status)


def _on_authentication(
    request: HttpRequest, exc: AuthenticationError, *, api: NinjaAPI
) -> HttpResponse:
    response = api.create_response(
        request,
        _body("Sign in: send 'Authorization: Bearer <token>' or use a staff session."),
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="civicdesk"'
    return response


def _on_http_error(request: HttpRequest, exc: HttpError, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, _body(exc.message), status=exc.status_code)


def _on_404(request: HttpRequest, exc: Http404, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, _body("Not found."), status=404)


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default error bodies with the API's single error shape."""
    api.add_exception_handler(NinjaValidationError, partial(_on_ninja_validation, api=api))
    api.add_exception_handler(DjangoValidationError, partial(_on_django_validation, api=api))
    api.add_exception_handler(TransitionError, partial(_on_transition, api=api))
    api.add_exception_handler(ApiError, partial(_on_api_error, api=api))
    api.add_exception_handler(AuthenticationError, partial(_on_authentication, api=api))
    api.add_exception_handler(HttpError, partial(_on_http_error, api=api))
    api.add_exception_handler(Http404, partial(_on_404, api=api))
