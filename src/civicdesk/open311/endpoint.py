"""What every Open311 endpoint shares: the format from the URL, the jurisdiction check, and an
answer in the client's format even when something unexpected goes wrong."""

import functools
import logging
from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError

from civicdesk.open311.formats import FORMATS, Format, error_response

logger = logging.getLogger(__name__)
P = ParamSpec("P")


def jurisdiction_error(request: HttpRequest) -> HttpResponse | None:
    """A 404 for a jurisdiction_id this server does not serve; empty counts as missing."""
    try:
        params = request.POST if request.method == "POST" else request.GET
        values = [value.strip() for value in params.getlist("jurisdiction_id")]
    except (SuspiciousOperation, MultiPartParserError, UnreadablePostError, ValueError):
        # An unreadable body is the parsing view's to report, with the precise reason.
        return None
    fmt = request_format(request)
    for value in values:
        if value and value != settings.CIVICDESK_JURISDICTION_ID:
            return error_response(
                fmt,
                [
                    (
                        404,
                        f"jurisdiction_id '{value[:100]}' is not served here; "
                        f"this server serves '{settings.CIVICDESK_JURISDICTION_ID}'.",
                    )
                ],
                status=404,
            )
    return None


def request_format(request: HttpRequest) -> Format:
    fmt = (request.resolver_match.kwargs.get("fmt") if request.resolver_match else None) or "json"
    return fmt if fmt in FORMATS else "json"


def open311_view(
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Check the jurisdiction, and turn an unexpected failure into an Open311 error body."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            refused = jurisdiction_error(request)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)
        except Exception:
            # Logged with the traceback for staff; the client still gets its own format.
            logger.exception("Open311 endpoint failed: %s %s", request.method, request.path)
            return error_response(
                request_format(request),
                [(500, "The server could not answer this request; it has been logged.")],
                status=500,
            )

    return wrapped
